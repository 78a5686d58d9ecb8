// ---
// id: reviews.review-burst
// title: Bursts of reviews on one listing, against the listing's own pace
// description: >
//   Each row is a product and one window of two adjacent `window_hours` slots (so that a
//   burst of up to `window_hours` is never cut in two by a slot boundary) in which at least
//   `min_reviews` reviewers reviewed it, with its background: `expected` is how many reviews
//   the product gets in such a window at its own pace (its reviews spread evenly from its
//   listing to its last review), `n_five_star` of the window's `n_ratings` ratings are 5-star,
//   `days_after_listing` says when the burst began and `slot` where (a window covers `slot`
//   and `slot + 1`: overlapping windows of one product are alternatives, keep one). A review
//   pool working a listing arrives as bursts of 5-star reviews weeks after the listing that
//   make up most of its reviews; launch crowds come in the first days
//   (`days_after_listing` small) with mixed ratings, and deal-day crowds on popular
//   listings are a small share of their reviews and mixed in rating. `praising` are the
//   window's reviewers who rated the listing `min_praise` or more: the ring sweep ties them,
//   in a listing's surprising 5-star bursts, to the listing's seller (a shopper who panned
//   the listing in the middle of a campaign is not one of the crew).
//   Windows with more than `max_window_reviewers` reviewers are skipped (cost guard).
//   Example: graphkit query run reviews.review-burst --param min_reviews=8
// category: reviews
// severity: medium
// precision: unmeasured
// params:
//   min_reviews: {type: int, default: 4, min: 2, max: 100000, description: reviewers in one window}
//   window_hours: {type: int, default: 72, min: 1, max: 720, description: length of a slot (a window is two)}
//   max_window_reviewers: {type: int, default: 300, min: 2, max: 100000, description: skip windows with more reviewers}
//   min_praise: {type: int, default: 4, min: 1, max: 5, description: rating that makes a reviewer one of `praising`}
// output: table
// timeout_s: 120
// max_rows: 1000000
// tags: [reviews, product, seller, reviewer]
// references: []
// ---
WITH $window_hours * 3600 AS slot_seconds
// One listing at a time, in product order: only one listing's slots are held, and rows
// stream out as they are found (no sort over every window: at 10 M reviews the windows
// with their reviewer lists outgrew the transaction memory).
MATCH (p:Product)
WHERE p.product_id IS NOT NULL
WITH p, slot_seconds
ORDER BY p.product_id
CALL (p) {
  MATCH (p)<-[q:REVIEWED]-()
  RETURN count(q) AS n_reviews, min(q.ts) AS first_review, max(q.ts) AS last_review
}
WITH p, slot_seconds, n_reviews, first_review, last_review
WHERE n_reviews >= $min_reviews
CALL (p, slot_seconds) {
  MATCH (p)<-[rv:REVIEWED]-(r:Reviewer)
  WITH rv.ts.epochSeconds / slot_seconds AS slot,
       collect(r.reviewer_id) AS ids, collect(rv.rating) AS ratings, min(rv.ts) AS start,
       collect(CASE WHEN rv.rating >= $min_praise THEN r.reviewer_id END) AS praising
  ORDER BY slot
  WITH collect({slot: slot, ids: ids, ratings: ratings, start: start, praising: praising}) AS slots
  UNWIND range(0, size(slots) - 1) AS k
  WITH slots[k] AS here,
       CASE WHEN slots[k + 1].slot = slots[k].slot + 1 THEN slots[k + 1] END AS next
  WITH here.slot AS slot, here.start AS burst_start,
       apoc.coll.toSet(here.ids + coalesce(next.ids, [])) AS reviewers,
       here.ratings + coalesce(next.ratings, []) AS ratings,
       apoc.coll.toSet(here.praising + coalesce(next.praising, [])) AS praising
  WHERE $min_reviews <= size(reviewers) <= $max_window_reviewers
  RETURN slot, burst_start, reviewers, ratings, praising
}
WITH p, slot, reviewers, ratings, praising, burst_start, n_reviews, 2 * slot_seconds AS window,
     coalesce(p.listed_at, first_review) AS listed, last_review
WITH p, slot, reviewers, ratings, praising, burst_start, n_reviews, listed,
     n_reviews * toFloat(window)
       / (duration.inSeconds(listed, last_review).seconds + window) AS expected
OPTIONAL MATCH (s:Seller)-[link1:LISTS WHERE link1.valid_to IS NULL]->(p)
RETURN p.product_id AS product_id, s.seller_id AS seller_id, slot, size(reviewers) AS n_reviewers,
       n_reviews, round(expected, 4) AS expected,
       size([x IN ratings WHERE x = 5]) AS n_five_star, size(ratings) AS n_ratings,
       duration.inDays(listed, burst_start).days AS days_after_listing,
       toString(burst_start) AS burst_start, apoc.coll.sort(reviewers) AS reviewers,
       apoc.coll.sort(praising) AS praising
