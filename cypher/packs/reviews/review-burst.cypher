// ---
// id: reviews.review-burst
// title: Bursts of reviews on one listing, against the listing's own pace
// description: >
//   Each row is a product and one `window_hours` window in which at least `min_reviews`
//   reviewers reviewed it, with its background: `expected` is how many reviews the product
//   gets in such a window at its own pace (its reviews spread evenly from its listing to its
//   last review), `five_star_share` the share of 5-star ratings in the burst and
//   `days_after_listing` when the burst began. A review pool working a listing arrives as
//   bursts of 5-star reviews weeks after the listing; launch crowds come in the first days
//   (`days_after_listing` small) with mixed ratings, and deal-day crowds on popular
//   listings are small against their pace or mixed in rating. The ring sweep ties the
//   reviewers of a surprising 5-star burst to the listing's seller.
//   Windows with more than `max_window_reviewers` reviewers are skipped (cost guard).
//   Example: graphkit query run reviews.review-burst --param min_reviews=8
// category: reviews
// severity: medium
// precision: unmeasured
// params:
//   min_reviews: {type: int, default: 4, min: 2, max: 100000, description: reviewers in one window}
//   window_hours: {type: int, default: 72, min: 1, max: 720, description: length of a window}
//   max_window_reviewers: {type: int, default: 300, min: 2, max: 100000, description: skip windows with more reviewers}
// output: table
// timeout_s: 120
// max_rows: 1000000
// tags: [reviews, product, seller, reviewer]
// references: []
// ---
WITH $window_hours * 3600 AS window
MATCH (p:Product)<-[rv:REVIEWED]-(r:Reviewer)
WITH p, window, rv.ts.epochSeconds / window AS bucket,
     collect(r.reviewer_id) AS reviewers, collect(rv.rating) AS ratings, min(rv.ts) AS burst_start
WHERE $min_reviews <= size(reviewers) <= $max_window_reviewers
CALL (p) {
  MATCH (p)<-[q:REVIEWED]-()
  RETURN count(q) AS n_reviews, min(q.ts) AS first_review, max(q.ts) AS last_review
}
WITH p, window, reviewers, ratings, burst_start, n_reviews,
     coalesce(p.listed_at, first_review) AS listed,
     last_review
WITH p, reviewers, ratings, burst_start, n_reviews, listed,
     n_reviews * toFloat(window)
       / (duration.inSeconds(listed, last_review).seconds + window) AS expected
OPTIONAL MATCH (s:Seller)-[link1:LISTS WHERE link1.valid_to IS NULL]->(p)
RETURN p.product_id AS product_id, s.seller_id AS seller_id, size(reviewers) AS n_reviewers,
       n_reviews, round(expected, 4) AS expected,
       round(toFloat(size([x IN ratings WHERE x = 5])) / size(ratings), 3) AS five_star_share,
       duration.inDays(listed, burst_start).days AS days_after_listing,
       toString(burst_start) AS burst_start, apoc.coll.sort(reviewers) AS reviewers
ORDER BY n_reviewers DESC, product_id, burst_start
