"""What makes a group of linked accounts a ring: chains of rare identifiers, paid reviews,
lockstep, brands; and what does not: one office IP, a customer-service seller's buyers."""

from __future__ import annotations

from graphkit.analysis import Link, rings_from_links
from graphkit.sweep import SweepSettings, ring_evidence, solicitation_weight

SETTINGS = SweepSettings()


def shared(a: str, b: str, kind: str, identifier: str, degree: int) -> Link:
    item = {"kind": kind, "identifier": identifier, "degree": degree}
    return Link(a, b, "identity", 1 / (degree + 5), (item,), ("seller", "seller"))


def test_a_chain_of_devices_and_cards_is_a_ring_one_office_ip_is_not() -> None:
    chain = [shared("s1", "s2", "device", "d1", 2), shared("s2", "s3", "payment", "c1", 2),
             shared("s3", "s4", "device", "d2", 2)]  # fmt: skip
    office = [shared(a, b, "ip", "ip1", 12) for a, b in [("o1", "o2"), ("o2", "o3"), ("o1", "o3")]]
    [ring] = rings_from_links(chain)
    [group] = rings_from_links(office)
    assert ring_evidence(ring, SETTINGS) == ["identity"]
    assert ring_evidence(group, SETTINGS) == []


def test_paid_reviews_make_a_ring_customer_service_does_not() -> None:
    paid = {"avg_rating": 5.0, "contact_share": 0.3, "refund_share": 1.0,
            "refund_after_review": True}  # fmt: skip
    service = {**paid, "contact_share": 0.95, "refund_share": None, "refund_after_review": False}
    assert solicitation_weight(paid) == 0.7 and solicitation_weight(service) == 0.005
    complaint = {**paid, "avg_rating": 1.5}
    assert solicitation_weight(complaint) == 0.0
    ring = rings_from_links(Link("s", r, "solicited", 0.7, (paid,)) for r in ("r1", "r2", "r3"))[0]
    shop = rings_from_links(Link("s", r, "solicited", 0.005, (service,)) for r in ("r1", "r2"))[0]
    assert ring_evidence(ring, SETTINGS) == ["paid-reviews"]
    assert ring_evidence(shop, SETTINGS) == []
