"""The versioned benign register: identifiers that many honest accounts share.

Prep-centre and locker addresses, carrier-NAT and public Wi-Fi IPs, payment aggregators:
sharing them says nothing about fraud. The register lists them as raw values (YAML);
:func:`apply_register` normalises and hashes them exactly as the loaders do and marks the
matching nodes ``benign = true`` with a ``benign_reason``. Every canned query skips them.
The applied register is kept in the graph, ``(:BenignRegister)`` with its version and the
entries' keys (hashes, no raw value), and every load or sync applies it again at its end, so
identifiers that arrive later are marked too (:func:`reapply`). Like a load, applying a
register checks the hash key's fingerprint first: hashes under another key would match
nothing, and the register would silently mark nothing.

Register format::

    version: "2026-11-01"
    entries:
      - {kind: address, value: "Unit 4, Prep Park, Leicester LE1 1AA", reason: prep-centre}
      - {kind: ip, value: "100.64.0.1", reason: carrier-nat}
      - {kind: payment, value: "4111 1111 1111 1111", reason: payment-aggregator}

``kind`` is one of address, ip, payment (card or IBAN), device, email, phone; phones and
addresses may carry ``country``.

>>> register = parse_register({"version": "1", "entries": [
...     {"kind": "ip", "value": "100.64.0.001", "reason": "carrier-nat"}]}, "r.yaml")
>>> register.entries[0].value
'100.64.0.001'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.identity import Hasher, InvalidIdentifier
from graphkit.ingest.checkpoint import check_key

CYPHER = Path(__file__).resolve().parent.parent / "cypher" / "register" / "mark-benign.cypher"

Kind = Literal["address", "ip", "payment", "device", "email", "phone"]


class Entry(BaseModel):
    kind: Kind
    value: str
    reason: str
    country: str | None = None


class Register(BaseModel):
    version: str
    entries: list[Entry]


def parse_register(data: Any, source: str) -> Register:
    """Validate a register's content; errors name the file and the entry."""
    try:
        return Register.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise GraphkitError(
            f"{source}: invalid benign register at {where}: {first['msg']}",
            hint="see the register format in graphkit/benign.py",
        ) from None


def load_register(path: Path) -> Register:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise GraphkitError(f"cannot read benign register {path}: {exc}") from None
    return parse_register(data, str(path))


def node_key(entry: Entry, hasher: Hasher) -> str:
    """The graph key of the entry's identifier node (hash, token, canonical IP or device id)."""
    if entry.kind == "address":
        return hasher.address(entry.value, entry.country)["hash"]
    if entry.kind == "ip":
        return hasher.ip(entry.value)["ip"]
    if entry.kind == "payment":
        digits = entry.value.replace(" ", "").replace("-", "")
        return (hasher.card if digits.isdigit() else hasher.iban)(entry.value)["token"]
    if entry.kind == "email":
        return hasher.email(entry.value)["hash"]
    if entry.kind == "phone":
        return hasher.phone(entry.value, entry.country)["hash"]
    return entry.value.strip()


def apply_register(db: Database, register: Register, hasher: Hasher) -> int:
    """Mark the register's identifiers benign (unmarking older versions); returns how many.
    Refuses (:class:`~graphkit.ingest.checkpoint.KeyMismatch`) a key the graph was not
    hashed with."""
    check_key(db, hasher)
    entries = []
    for index, entry in enumerate(register.entries):
        try:
            entries.append({"kind": entry.kind, "key": node_key(entry, hasher),
                            "reason": entry.reason})  # fmt: skip
        except InvalidIdentifier as exc:
            raise GraphkitError(
                f"benign register entry {index} ({entry.kind}) is not a valid identifier: {exc}",
                hint="fix or remove that entry",
            ) from None
    db.write(
        "MERGE (r:BenignRegister {name: 'current'}) SET r.version = $version, r.entries = $json",
        {"version": register.version, "json": json.dumps(entries)},
    )
    return _mark(db, entries, register.version)


def reapply(db: Database) -> int:
    """Apply the register last applied (kept in the graph) again; return how many it marks."""
    rows = db.read(
        "MATCH (r:BenignRegister {name: 'current'}) RETURN r.version AS v, r.entries AS e"
    )
    return _mark(db, json.loads(rows[0]["e"]), rows[0]["v"]) if rows else 0


def _mark(db: Database, entries: list[dict[str, str]], version: str) -> int:
    rows = db.write(CYPHER.read_text(), {"entries": entries, "version": version})  # type: ignore[arg-type]
    return rows[0]["marked"] if rows else 0
