// ---
// id: reviews.lockstep
// title: Reviewer pairs reviewing the same products in lockstep
// description: >
//   Each row is a pair of reviewers who reviewed at least `min_products` of the same
//   products within the same `window_hours` window, both rating at least `min_rating`
//   (after CopyCatch, Beutel et al. 2013).
//   Honest reviewers overlap on a product now and then; paid review groups overlap on many
//   products at the same moments. Windows are taken twice, shifted by half a window, so a
//   pair straddling a boundary is still caught. Windows with more than
//   `max_window_reviewers` reviewers (launch-day crowds) are skipped. The ring sweep joins
//   pairs into groups. Cost grows with co-reviewing pairs, not pairs found: at `seed` scale
//   (6M 5-star reviews) it walks ~13M (pair, product) co-reviews, about 2 minutes on 2 cores.
//   Example: graphkit query run reviews.lockstep --param min_products=4
// category: reviews
// severity: high
// precision: medium
// params:
//   min_products: {type: int, default: 3, min: 2, max: 1000, description: co-reviewed products per pair}
//   window_hours: {type: int, default: 48, min: 1, max: 720, description: length of a lockstep window}
//   min_rating: {type: int, default: 5, min: 1, max: 5, description: only reviews rated at least this}
//   max_window_reviewers: {type: int, default: 50, min: 2, max: 10000, description: skip product windows with more reviewers}
// output: table
// timeout_s: 300
// max_rows: 1000000
// tags: [reviews, copycatch, reviewer]
// references: [https://doi.org/10.1145/2488388.2488400]
// ---
WITH $window_hours * 3600 AS window
MATCH (p:Product)
// One product at a time: only its windows are held, never every window at once.
CALL (p, window) {
  MATCH (r:Reviewer)-[rv:REVIEWED]->(p)
  WHERE rv.rating >= $min_rating
  UNWIND [0, window / 2] AS shift
  WITH shift, (rv.ts.epochSeconds + shift) / window AS bucket, collect(r.reviewer_id) AS reviewers
  WHERE 2 <= size(reviewers) <= $max_window_reviewers
  UNWIND reviewers AS a
  UNWIND reviewers AS b
  WITH a, b WHERE a < b
  RETURN DISTINCT a, b
}
WITH a, b, collect(p.product_id) AS products
WHERE size(products) >= $min_products
RETURN a AS reviewer_a, b AS reviewer_b, size(products) AS n_products,
       apoc.coll.sort(products)[..20] AS products
ORDER BY n_products DESC, reviewer_a, reviewer_b
