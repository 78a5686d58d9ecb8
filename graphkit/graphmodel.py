"""The facts of the graph model, stated once (docs/graph-model.md tells the same in prose).

Accounts are ``Seller`` and ``Reviewer`` nodes; an account's kind comes from its label, never
from the form of its id. Identifiers are nodes of six kinds that accounts point at; FRAUDAR's
rarity weight says how much sharing one means. Schema, packs, analysis, sweep, evaluation and
viz read these tables; Cypher files keep their literal patterns (a test checks they agree).

>>> ACCOUNTS["seller"].label, ACCOUNTS["seller"].key
('Seller', 'seller_id')
>>> IDENTIFIERS["payment"].label, IDENTIFIERS["payment"].rel_type, IDENTIFIERS["payment"].key
('PaymentInstrument', 'PAID_WITH', 'token')
>>> account_kind(["Reviewer"])
'reviewer'
>>> round(fraudar_weight(2), 3)
0.514
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountKind:
    """An account label: ``kind`` is what reports call it, ``key`` its unique property."""

    kind: str
    label: str
    key: str


@dataclass(frozen=True)
class IdentifierKind:
    """An identifier label, the relationship accounts point at it with, and its key.

    ``reassignable`` identifiers (IPs, addresses, phone numbers) pass from one holder to the
    next over time; devices, cards and mailboxes stay with their holder. ``registered``
    identifiers are details of the account record (address, mailbox, phone): the account
    holds one from its first sighting until the link is retired (``valid_to``), whatever its
    last sighting says (a record's snapshot time, not the end of holding). Two accounts
    share a reassignable identifier only when they held it at the same time: for a
    registered one, while both links are current; for one seen in sessions (IPs), when
    their first/last seen overlap.
    """

    kind: str
    label: str
    key: str
    rel_type: str
    reassignable: bool
    registered: bool = False


SELLER, REVIEWER = "seller", "reviewer"

ACCOUNTS: dict[str, AccountKind] = {
    SELLER: AccountKind(SELLER, "Seller", "seller_id"),
    REVIEWER: AccountKind(REVIEWER, "Reviewer", "reviewer_id"),
}

IDENTIFIERS: dict[str, IdentifierKind] = {
    i.kind: i
    for i in (
        IdentifierKind("device", "Device", "device_id", "USED_DEVICE", reassignable=False),
        IdentifierKind("payment", "PaymentInstrument", "token", "PAID_WITH", reassignable=False),
        IdentifierKind(
            "address", "Address", "hash", "REGISTERED_AT", reassignable=True, registered=True
        ),
        IdentifierKind("email", "Email", "hash", "HAS_EMAIL", reassignable=False, registered=True),
        IdentifierKind("phone", "Phone", "hash", "HAS_PHONE", reassignable=True, registered=True),
        IdentifierKind("ip", "IP", "ip", "LOGGED_IN_FROM", reassignable=True),
    )
}

#: Catalogue nodes and their keys.
CATALOGUE = {"Brand": "brand_id", "Product": "product_id"}

#: Every node label and its key property (one uniqueness constraint each).
NODE_KEYS: dict[str, str] = {
    **{a.label: a.key for a in ACCOUNTS.values()},
    **CATALOGUE,
    **{i.label: i.key for i in IDENTIFIERS.values()},
}

#: Relationships between accounts and the catalogue, and between accounts (events).
CATALOGUE_RELS = ("SELLS", "LISTS", "OF_BRAND")
EVENT_RELS = ("REVIEWED", "MESSAGED", "REFUNDED")

#: Account states that enforcement has acted on.
CLOSED_STATUSES = ("closed", "suspended")

#: History of the relationships snapshot feeds write (identity links, listings): a link holds
#: from ``valid_from`` (the watermark of the row that first wrote it) to ``valid_to`` (the
#: watermark of the row that retired it, or the time of the full load that no longer saw it).
#: It is never deleted; a link written again is current again (``valid_to`` removed,
#: ``valid_from`` kept). Canned queries read current links, ``CURRENT``, unless their header
#: says ``history: true``.
VALID_FROM, VALID_TO = "valid_from", "valid_to"
CURRENT = "valid_to IS NULL"  # Cypher: `[r:HAS_EMAIL WHERE r.valid_to IS NULL]`
#: A snapshot feed's entity whose source row was deleted (a tombstone row, or gone from the
#: partition a full load read); its links of that feed are retired.
DELETED_AT = "deleted_at"
#: The source partition (file name, or PostgreSQL table) that last wrote a snapshot feed's
#: node or relationship: a full load retires only what came from partitions it read.
PARTITION = "partition"
#: Relationship types that carry history (the relationships of the snapshot feeds).
HISTORY_RELS = ("HAS_EMAIL", "HAS_PHONE", "REGISTERED_AT", "LISTS", "OF_BRAND", "SELLS")


def account_kind(labels: Iterable[str]) -> str | None:
    """The account kind of a node with these labels (``None`` when it is no account)."""
    labels = set(labels)
    return next((a.kind for a in ACCOUNTS.values() if a.label in labels), None)


def identifier_kind(label: str) -> str | None:
    """``'device'`` for ``'Device'``; ``None`` when the label is no identifier."""
    return next((i.kind for i in IDENTIFIERS.values() if i.label == label), None)


def fraudar_weight(degree: int) -> float:
    """FRAUDAR's column weight 1/log(degree + 5): rare shared objects count more than hubs.

    >>> round(fraudar_weight(2), 3), round(fraudar_weight(40), 3)
    (0.514, 0.263)
    """
    return 1.0 / math.log(degree + 5)
