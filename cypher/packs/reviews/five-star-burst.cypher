// ---
// id: reviews.five-star-burst
// title: Bursts of 5-star reviews on one product
// description: >
//   Each row is a product that received at least `min_reviews` 5-star reviews within one
//   `window_hours` window, when that burst is at least `min_share` of all the product's
//   reviews. Bought reviews arrive in waves right after a listing or a campaign; honest
//   bestsellers collect 5-star reviews steadily instead (their bursts are a small share).
//   Example: graphkit query run reviews.five-star-burst --param min_reviews=10
// category: reviews
// severity: medium
// precision: low
// params:
//   min_reviews: {type: int, default: 5, min: 2, max: 100000, description: 5-star reviews in one window}
//   window_hours: {type: int, default: 24, min: 1, max: 720, description: length of a window}
//   min_share: {type: float, default: 0.3, min: 0.0, max: 1.0, description: burst share of the product's reviews}
// output: table
// timeout_s: 60
// max_rows: 10000
// tags: [reviews, product]
// references: []
// ---
WITH $window_hours * 3600 AS window
MATCH (p:Product)<-[rv:REVIEWED {rating: 5}]-(r:Reviewer)
WITH p, rv.ts.epochSeconds / window AS bucket, collect(r.reviewer_id) AS reviewers,
     min(rv.ts) AS burst_start, max(rv.ts) AS burst_end
WHERE size(reviewers) >= $min_reviews
WITH p, reviewers, burst_start, burst_end, COUNT { (p)<-[:REVIEWED]-() } AS n_reviews
WHERE toFloat(size(reviewers)) / n_reviews >= $min_share
OPTIONAL MATCH (s:Seller)-[link1:LISTS WHERE link1.valid_to IS NULL]->(p)
RETURN p.product_id AS product_id, s.seller_id AS seller_id, size(reviewers) AS n_five_star,
       n_reviews, round(toFloat(size(reviewers)) / n_reviews, 3) AS share,
       burst_start, burst_end, apoc.coll.sort(reviewers) AS reviewers
ORDER BY n_five_star DESC, product_id, burst_start
