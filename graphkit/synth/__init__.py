"""Synthetic marketplace with planted fraud rings, benign look-alikes and ground truth.

``graphkit synth --scale tiny|small|seed|large --seed N --out DIR [--to-postgres DSN]`` or:

>>> from graphkit.synth import generate, read_truth
>>> summary = generate("/tmp/market", scale="tiny", seed=7)  # doctest: +SKIP
>>> len(read_truth("/tmp/market").rings)  # doctest: +SKIP
6

Scales (sellers / reviewers / reviews): tiny 50 / 400 / 2k (well under a second),
small 1k / 10k / 50k, seed 100k / 1M / 10M (the crackdown: ~3% ring sellers, 20% paid
reviewers, ~13M records), large 10x seed. Every scale plants every archetype and look-alike.

Ring archetypes (each ring's members, brands, products and planted identifiers are in the truth):

1. ``identity``: 3-12 sellers chained by shared devices, cards, IBANs, addresses, emails,
   phones and IPs (A-B share a device, B-C a card: some pairs only transitively linked), plus a
   few identifiers shared by 2-4 members. One member is suspended.
2. ``brand_front``: 5-25 sellers that all sell the ring's 3-6 brands (no shared identifiers).
3. ``paid_review``: 2-8 sellers (chained by shared identifiers, sharing 1-2 brands) and a pool
   of paid reviewers. Campaigns of ~6 reviewers give one ring product 5 stars within 36 hours;
   every paid reviewer is messaged (solicitation) by the product's seller, 60% get a refund.
4. ``self_review``: 1-2 sellers whose 2-5 reviewers share a device or card with them and give
   their products 5 stars.
5. ``repeat_offender``: closed accounts (status closed, closed_at, reason) and new accounts
   registered 3-60 days after the closure, chained old-new-old-new by shared identifiers.
6. ``camouflage``: a paid-review ring whose sellers share only one identifier with a neighbour
   (device, card or IP; otherwise fresh identifiers) and whose reviewers also review popular
   honest products with 4-5 stars.

Benign look-alikes (honest accounts, in the truth with a reason; ``registered`` ones are in
``benign_register.yaml``): ``prep-centre`` addresses shared by up to hundreds of sellers,
``carrier-nat`` and ``public-wifi`` IPs, ``payment-aggregator`` instruments (registered);
``household-device`` (2-4 reviewers sharing a device and home IP), ``launch-burst`` (a new
popular product reviewed by many organic reviewers with mixed ratings in 3 days) and
``honest-overlap`` (two honest accounts sharing exactly one identifier) are not registered.
"""

from graphkit.synth.generate import Summary, generate
from graphkit.synth.truth import GroundTruth, Identifier, Lookalike, Ring, read_truth
from graphkit.synth.world import SCALES

__all__ = [
    "SCALES",
    "GroundTruth",
    "Identifier",
    "Lookalike",
    "Ring",
    "Summary",
    "generate",
    "read_truth",
]
