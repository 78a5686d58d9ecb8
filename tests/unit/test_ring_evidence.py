"""What makes a group of linked accounts a ring: chains of rare identifiers, paid reviews,
lockstep, brands; and what does not: one office IP, a customer-service seller's buyers."""

from __future__ import annotations

from graphkit.analysis import Link, link_graph, make_ring, rings_from_links
from graphkit.sweep import (
    SweepSettings,
    burst_links,
    ring_evidence,
    solicitation_links,
    solicitation_weight,
    without_chance_bursts,
)

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


def test_addresses_phones_ips_passed_on_after_a_closure_count_in_full() -> None:
    """Six sellers chained by addresses, phones and IPs, each handed from a closed account to
    a new one (a banned operator back under new names): a ring. The same chain held at the
    same time is as much a row of flats and shared offices: half each, short of a ring."""
    kinds = ["address", "phone", "ip", "address", "phone"]
    chain = [shared(f"s{k}", f"s{k + 1}", kind, f"i{k}", 2) for k, kind in enumerate(kinds)]
    passed_on = [
        Link(x.a, x.b, x.kind, x.weight, ({**x.evidence[0], "succession": True},), x.account_kinds)
        for x in chain
    ]
    assert ring_evidence(rings_from_links(chain)[0], SETTINGS) == []
    assert ring_evidence(rings_from_links(passed_on)[0], SETTINGS) == ["identity"]


def test_paid_reviews_make_a_ring_customer_service_does_not() -> None:
    paid = {"avg_rating": 5.0, "contact_share": 0.3, "refund_share": 1.0,
            "refund_after_review": True, "paid_surprise": 4.0}  # fmt: skip
    service = {**paid, "contact_share": 0.95, "refund_share": None, "refund_after_review": False}
    assert solicitation_weight(paid) == 0.7 and solicitation_weight(service) == 0.005
    complaint = {**paid, "avg_rating": 1.5}
    assert solicitation_weight(complaint) == 0.0
    ring = rings_from_links(Link("s", r, "solicited", 0.7, (paid,)) for r in ("r1", "r2", "r3"))[0]
    shop = rings_from_links(Link("s", r, "solicited", 0.005, (service,)) for r in ("r1", "r2"))[0]
    assert ring_evidence(ring, SETTINGS) == ["paid-reviews"]
    assert ring_evidence(shop, SETTINGS) == []


def test_evidence_that_falls_short_alone_adds_up() -> None:
    """Two sellers on one IP, two brands only they sell, one reviewer they paid: each kind
    falls short alone (an IP counts half), any two together make a ring."""
    ip = shared("s1", "s2", "ip", "ip1", 2)
    brands = Link("s1", "s2", "brand", 1.0, ({"n_shared": 2, "expected": 0.003},))
    paid = {"avg_rating": 5.0, "contact_share": 0.3, "refund_share": 1.0,
            "refund_after_review": True, "paid_surprise": 4.0}  # fmt: skip
    bought = Link("s1", "r1", "solicited", 0.7, (paid,))
    for alone in (ip, brands, bought):
        assert ring_evidence(rings_from_links([alone])[0], SETTINGS) == []
    assert ring_evidence(rings_from_links([ip, brands])[0], SETTINGS) == ["identity", "brands"]
    assert ring_evidence(rings_from_links([brands, bought])[0], SETTINGS) == [
        "paid-reviews",
        "brands",
    ]


def window(slot: int, reviewers: str, five_star: int, **facts: object) -> dict[str, object]:
    row = {"product_id": "p", "seller_id": "s", "slot": slot, "n_reviewers": len(reviewers),
           "n_reviews": 12, "expected": 0.2, "n_five_star": five_star,
           "n_ratings": len(reviewers), "days_after_listing": 40,
           "burst_start": f"slot {slot}", "reviewers": list(reviewers),
           "praising": list(reviewers)}  # fmt: skip
    return {**row, **facts}


def test_a_listings_bursts_are_judged_together_and_overlapping_windows_once() -> None:
    # Two campaigns on one listing (one 4-star review each: 0.83 5-star together), the
    # second seen from two overlapping windows: the fuller one is kept.
    rows = [window(10, "abcdef", 5), window(20, "ghijkl", 5), window(21, "ijkl", 4)]
    links = burst_links(rows, SETTINGS)
    assert sorted(link.b for link in links) == list("abcdefghijkl")
    assert {link.evidence[0]["burst_start"] for link in links} == {"slot 10", "slot 20"}
    # A deal-day crowd at a bestseller: surprising, but a small share of its reviews.
    assert burst_links([window(10, "abcdef", 6, n_reviews=400)], SETTINGS) == []
    # Mixed ratings are not a pool's.
    assert burst_links([window(10, "abcdef", 3)], SETTINGS) == []


def test_a_burst_ties_only_the_reviewers_who_praised_the_listing() -> None:
    """A shopper who gave 1 star in the middle of a crew's campaign (another ring's paid
    reviewer, or a customer) is in the window but not one of the crew."""
    rows = [window(10, "abcdefghij", 9, praising=list("abcdefghi")), window(20, "klmno", 5)]
    assert sorted(link.b for link in burst_links(rows, SETTINGS)) == list("abcdefghiklmno")


def test_a_pool_working_one_listing_in_many_campaigns_is_seen_in_its_bursts_together() -> None:
    """Five campaigns of six on one listing that has 31 reviews: each burst is under 20% of
    them, together they are nearly all; five deal-day crowds of six at a bestseller are not."""
    campaigns = [window(10 * k, f"abcde{k}", 6, n_reviews=31) for k in range(1, 6)]
    assert len({link.b for link in burst_links(campaigns, SETTINGS)}) == 10
    crowds = [{**row, "n_reviews": 400} for row in campaigns]
    assert burst_links(crowds, SETTINGS) == []


def test_a_household_around_one_seller_is_no_identity_ring_two_sellers_are() -> None:
    """One seller and three buyers on a home IP, two of them on one device, two on one card:
    a family. The same identifiers held by two sellers and two buyers: an operator's."""

    def household(kinds: tuple[str, str, str, str]) -> list[Link]:
        a, b, c, d = kinds
        ip = [("s", "r1"), ("s", "r2"), ("s", "r3"), ("r1", "r2"), ("r1", "r3"), ("r2", "r3")]
        links = [shared(x, y, "ip", "home", 4) for x, y in ip]
        links += [shared("r1", "r2", "device", "pc", 2), shared("s", "r3", "payment", "c", 2)]
        kind = {"s": a, "r1": b, "r2": c, "r3": d}
        return [Link(x.a, x.b, x.kind, x.weight, x.evidence, (kind[x.a], kind[x.b])) for x in links]

    [family] = rings_from_links(household(("seller", "reviewer", "reviewer", "reviewer")))
    [operator] = rings_from_links(household(("seller", "seller", "reviewer", "reviewer")))
    assert ring_evidence(family, SETTINGS) == []
    assert ring_evidence(operator, SETTINGS) == ["identity"]


def test_one_burst_is_a_pool_when_it_stays_surprising_across_every_window_tested() -> None:
    rows = [window(10, "abcdef", 6, expected=0.05)] + [
        window(100 + k, "xyzw", 2, product_id=f"q{k}", n_reviews=400) for k in range(999)
    ]
    [ring] = rings_from_links(burst_links(rows, SETTINGS))
    assert ring.accounts == {("seller", "s"), *(("reviewer", r) for r in "abcdef")}
    assert ring_evidence(ring, SETTINGS) == ["bursts"]  # surprise 10.7 less log10(1000)
    modest = burst_links([window(10, "abcdef", 6, expected=0.5)] + rows[1:], SETTINGS)  # 4.8
    assert ring_evidence(rings_from_links(modest)[0], SETTINGS) == []


def test_a_seller_that_pays_most_of_its_contacts_buys_reviews_customer_service_does_not() -> None:
    """Both contact nearly all their buyers; one paid 4 of its 6 contacts after a 5-star
    review, the other settled 1 complaint in 300 contacts after an earlier 5-star review."""
    paid = {"avg_rating": 5.0, "refund_share": 1.0, "refund_after_review": True}
    ring = [{**paid, "seller_id": "s", "reviewer_id": f"r{i}", "contact_share": 0.875,
             "n_contacted": 6} for i in range(4)]  # fmt: skip
    shop = [{**ring[0], "seller_id": "c", "contact_share": 0.99, "n_contacted": 300}]
    links = solicitation_links(ring + shop)
    assert {(link.a, link.weight) for link in links} == {("s", 0.625), ("c", 0.01)}
    assert ring_evidence(rings_from_links(links[:4])[0], SETTINGS) == ["paid-reviews"]


def test_a_few_paid_reviews_among_hundreds_of_contacts_are_background_not_a_ring() -> None:
    """A shop that settled 2 of its 700 contacts after a 5-star review (the graph pays about
    1 contact in 600, so 700 contacts predict 1.2) is no ring; a seller that paid 3 of its
    6 contacts is (Poisson surprise of its paid reviewers against that background)."""
    paid = {"avg_rating": 5.0, "refund_share": 1.0, "refund_after_review": True}
    ring = [{**paid, "seller_id": "s", "reviewer_id": f"r{i}", "contact_share": 0.5,
             "n_contacted": 6} for i in range(3)]  # fmt: skip
    shop = [{**paid, "seller_id": "c", "reviewer_id": f"c{i}", "contact_share": 0.58,
             "n_contacted": 700} for i in range(2)]  # fmt: skip
    unpaid = [{**row, "refund_after_review": False} for row in ring]
    links = solicitation_links(ring + shop + [{**row, "seller_id": f"x{i}", "n_contacted": 250}
                                              for i, row in enumerate(unpaid * 3)])  # fmt: skip
    facts = {link.a: link.evidence[0]["paid_surprise"] for link in links[:5]}
    assert facts["s"] >= SETTINGS.min_surprise > facts["c"]
    assert ring_evidence(rings_from_links(links[:3])[0], SETTINGS) == ["paid-reviews"]
    assert ring_evidence(rings_from_links(links[3:5])[0], SETTINGS) == []


def test_a_seller_ring_takes_burst_reviewers_only_where_its_listings_make_the_burst_rare() -> None:
    """Six sellers chained by cards, and one 4-in-5 five-star week on one listing. Among 8
    windows looked at, that is a campaign; among the 400 of six busy sellers, a good week."""
    chain = [shared(f"s{k}", f"s{k + 1}", "payment", f"c{k}", 2) for k in range(5)]
    week = {"product_id": "p", "burst_start": "d", "surprise": 4.0, "windows_tested": 10**5}
    bursts = [Link("s0", r, "burst", 0.66, (week,)) for r in ("r1", "r2", "r3", "r4")]
    links = chain + bursts
    graph = link_graph(links)
    ring = make_ring(graph, graph.nodes)
    few = without_chance_bursts(graph, ring, SETTINGS, {"s0": 8})
    busy = without_chance_bursts(graph, ring, SETTINGS, {f"s{k}": 80 for k in range(6)})
    assert few.reviewers == ["r1", "r2", "r3", "r4"]
    assert busy.reviewers == [] and len(busy.sellers) == 6
    # A crew the ring proves by paid reviews keeps them: its bursts are its campaigns.
    paid = {"avg_rating": 5.0, "contact_share": 0.3, "refund_share": 1.0,
            "refund_after_review": True, "paid_surprise": 4.0}  # fmt: skip
    crew = links + [Link("s0", r, "solicited", 0.7, (paid,)) for r in ("r1", "r2")]
    crew_graph = link_graph(crew)
    kept = without_chance_bursts(crew_graph, make_ring(crew_graph, crew_graph.nodes), SETTINGS,
                                 {f"s{k}": 80 for k in range(6)})  # fmt: skip
    assert kept.reviewers == ["r1", "r2", "r3", "r4"]
