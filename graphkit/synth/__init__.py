"""Synthetic marketplace with planted fraud rings, benign look-alikes and ground truth.

``graphkit synth --scale tiny|small|seed|large --seed N --out DIR [--id-scheme opaque]
[--to-postgres DSN]`` or:

>>> from graphkit.synth import generate, read_truth
>>> summary = generate("/tmp/market", scale="tiny", seed=7)  # doctest: +SKIP
>>> len(read_truth("/tmp/market").rings)  # doctest: +SKIP
9

Scales (sellers / reviewers / reviews): tiny 50 / 400 / 2k (about a second), small 1k / 10k /
50k, seed 100k / 1M / 10M (~16M records), large 10x seed. Every scale plants every archetype
and look-alike. The market is meant to be hard: honest accounts do most of what rings do.

Rings. A ring's size (sellers + reviewers) is heavy-tailed, P(n) ~ n**-1.3 up to 60; rings
count against two budgets, ~3% of sellers (seller-side) and ~2% of reviewers (paid pools).
Each ring's members, brands, products and planted identifiers are in the truth.

1. ``identity``: sellers chained by shared devices, cards, IBANs, addresses, emails, phones
   and IPs (A-B share a device, B-C a card: some pairs only transitively linked), plus
   identifiers shared by 2-4 members. One member is suspended.
2. ``brand_front``: sellers that all sell the ring's 3-6 brands (no shared identifiers).
3. ``paid_review``: 2-8 sellers (chained by shared identifiers, sharing 1-2 brands) and a pool
   of paid reviewers. Campaigns of ~6 reviewers give one ring product 5 stars within 36 hours;
   every paid reviewer is messaged (a solicitation) by the product's seller, 60% get a refund.
4. ``self_review``: 1-2 sellers whose reviewers share a device or card with them and give
   their products 5 stars.
5. ``repeat_offender``: closed accounts (status closed, closed_at, reason) and new accounts
   registered 3-60 days after the closure, chained old-new-old-new by shared identifiers.
6. ``camouflage``: a paid-review ring whose sellers share only one identifier with a neighbour
   (device, card or IP) and whose reviewers also review popular honest products with 4-5 stars.

Single tactics, each alone (no ring brands, no other evidence):

7. ``device_ring``: sellers and reviewers linked only by shared device fingerprints.
8. ``card_chain``: sellers linked only by a chain of cards (A-B one card, B-C another).
9. ``review_pool``: 1-3 sellers and a pool of paid reviewers with no shared identifiers, no
   messages and no refunds: only lockstep campaigns (72 hours, 85% five stars, else four).

Benign look-alikes (honest accounts, in the truth with a reason; only the ``registered`` ones
are in ``benign_register.yaml``). Registered: ``prep-centre`` addresses shared by up to
hundreds of sellers, ``carrier-nat`` and ``public-wifi`` IPs, ``payment-aggregator``
instruments. Not registered:

- ``office``, ``family``, ``cafe``: honest identifier sharing beyond pairs, 2-30 accounts per
  group, heavy-tailed; an office's sellers and reviewers share its IP, its sellers its address,
  some a company card; a family shares a home IP, a device and sometimes a card; a café's
  customers its Wi-Fi IP and sometimes a public terminal (device);
- ``household-device`` (2-4 reviewers sharing a device and home IP) and ``honest-overlap``
  (two honest accounts sharing exactly one identifier);
- ``customer-service``: ~20% of honest sellers message their buyers before the review
  (delivery, colour/size questions, returns), a quarter of them nearly every buyer; 8% of the
  conversations are complaints settled by a refund and followed by a 1-2 star review or none;
  30% of these sellers also ask every happy buyer for a review. Message text follows the kind
  (``fake.MESSAGES``) and overlaps the paid wording ("5-star review", "full refund");
- ``launch-burst``: new products reviewed by 15-300 early adopters (one pool, heavy-tailed
  crowds, mixed ratings) in their first 3 days; ``popular-crowd``: six sale days on which deal
  hunters (~2% of reviewers) each review 1-4 of 5-12 headline deals within a day, so honest
  reviewers co-review in lockstep;
- ``brand-transfer``: a niche brand moves from one honest seller to another (old listings end
  before the transfer day, new ones start after, half the time on a days-old account; half of
  the old sellers close). Honest brands have heavy-tailed popularity, so the top brands are
  resold by dozens (small) to hundreds (seed) of honest sellers.

Formats: 10% of reviews and every refund carry a date-only ``ts`` (``2024-03-05``). Ids:
``prefixed`` (``S000001``...) by default, or ``opaque`` (:mod:`graphkit.synth.ids`). The truth is
``truth/ground_truth.json`` plus the generic ``truth/rings.csv`` and ``truth/benign.csv``.
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
