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
//   (6M 5-star reviews) it walks ~13M (pair, product) co-reviews, each made once: the two
//   window grids are the consecutive pairs of half-window slots, so a pair inside one slot
//   is made there and a pair across two slots from the earlier one.
//   Each pair comes with its background: `expected` co-reviews for two reviewers this active
//   on products this popular (a configuration null model), so that crowds at popular
//   listings can be told from a pool working niche listings; `n_occasions`, the separate
//   times they met (products co-reviewed in adjacent windows are one occasion: two
//   deals bought at one sale are one meeting, not two); and the `sellers` whose products
//   they co-reviewed. On a graph whose pairs outgrow the transaction memory, run it in
//   `parts` passes, `part` = 0 .. parts - 1: each keeps the pairs whose smaller id hashes
//   (MD5) to its part, and together they return every pair once (the ring sweep does this).
//   Example: graphkit query run reviews.lockstep --param min_products=4
// category: reviews
// severity: high
// precision: medium
// params:
//   min_products: {type: int, default: 3, min: 2, max: 1000, description: co-reviewed products per pair}
//   window_hours: {type: int, default: 48, min: 1, max: 720, description: length of a lockstep window}
//   min_rating: {type: int, default: 5, min: 1, max: 5, description: only reviews rated at least this}
//   max_window_reviewers: {type: int, default: 50, min: 2, max: 10000, description: skip product windows with more reviewers}
//   parts: {type: int, default: 1, min: 1, max: 256, description: passes the pair search is split into}
//   part: {type: int, default: 0, min: 0, max: 255, description: which pass (0 .. parts - 1)}
// output: table
// timeout_s: 300
// max_rows: 1000000
// max_estimated_rows: 2000000000  # the planner guesses 10 rows per UNWIND of a computed list
// tags: [reviews, copycatch, reviewer]
// references: [https://doi.org/10.1145/2488388.2488400]
// ---
WITH $window_hours * 1800 AS half
MATCH (p:Product)
// One product at a time: only its slots are held, never every window at once.
CALL (p, half) {
  MATCH (r:Reviewer)-[rv:REVIEWED]->(p)
  WHERE rv.rating >= $min_rating
  WITH rv.ts.epochSeconds / half AS slot, collect(r.reviewer_id) AS ids
  ORDER BY slot
  WITH collect({slot: slot, ids: ids}) AS slots
  UNWIND range(0, size(slots) - 1) AS k
  WITH slots[k].slot AS slot, slots[k].ids AS ids,
       CASE WHEN k > 0 AND slots[k - 1].slot = slots[k].slot - 1 THEN size(slots[k - 1].ids) ELSE 0 END AS before,
       CASE WHEN slots[k + 1].slot = slots[k].slot + 1 THEN slots[k + 1].ids ELSE [] END AS next
  // A window is two adjacent slots; it counts when it is not a crowd.
  WITH slot, ids, next, before + size(ids) <= $max_window_reviewers AS left_ok,
       size(ids) + size(next) <= $max_window_reviewers AS right_ok
  CALL (ids, next, left_ok, right_ok) {
    UNWIND CASE WHEN left_ok OR right_ok THEN range(0, size(ids) - 2) ELSE [] END AS i
    UNWIND range(i + 1, size(ids) - 1) AS j
    RETURN ids[i] AS x, ids[j] AS y
    UNION ALL
    UNWIND CASE WHEN right_ok THEN ids ELSE [] END AS x
    UNWIND next AS y
    RETURN x, y
  }
  WITH slot, x, y WHERE x <> y
  WITH slot, x, y,
       CASE WHEN $parts > 1 THEN apoc.util.md5([CASE WHEN x < y THEN x ELSE y END]) END AS digest
  WHERE $parts = 1
     OR (16 * apoc.text.indexOf('0123456789abcdef', substring(digest, 0, 1))
         + apoc.text.indexOf('0123456789abcdef', substring(digest, 1, 1))) % $parts = $part
  // One text key per pair (ids never hold NUL: the loaders quarantine it): grouping
  // 13M pairs on it is a quarter faster than on two columns or a list.
  RETURN DISTINCT CASE WHEN x < y THEN x + '\u0000' + y ELSE y + '\u0000' + x END AS pair, slot
}
WITH pair, collect(DISTINCT p) AS products, apoc.coll.sort(apoc.coll.toSet(collect(slot))) AS slots
WHERE size(products) >= $min_products
// Occasions: runs of adjacent slots (two deals reviewed at one sale are one meeting).
WITH split(pair, '\u0000') AS ids, products,
     1 + size([i IN range(1, size(slots) - 1) WHERE slots[i] > slots[i - 1] + 1]) AS n_occasions
// The background: how many co-reviews the two reviewers' activity and their products'
// popularity predict (each review of b lands on one of a's products with probability
// (reviews of that product - 1) / all reviews, and the other way round).
MATCH (a:Reviewer {reviewer_id: ids[0]}), (b:Reviewer {reviewer_id: ids[1]})
CALL (a) {
  MATCH (a)-[:REVIEWED]->(q)
  RETURN count(q) AS k_a, sum(COUNT { (q)<-[:REVIEWED]-() } - 1) AS reach_a
}
CALL (b) {
  MATCH (b)-[:REVIEWED]->(q)
  RETURN count(q) AS k_b, sum(COUNT { (q)<-[:REVIEWED]-() } - 1) AS reach_b
}
WITH ids, products, n_occasions, k_a, k_b,
     (k_a * reach_b + k_b * reach_a) / (2.0 * COUNT { ()-[:REVIEWED]->() }) AS expected
RETURN ids[0] AS reviewer_a, ids[1] AS reviewer_b, size(products) AS n_products, n_occasions,
       round(expected, 6) AS expected, k_a AS reviews_a, k_b AS reviews_b,
       apoc.coll.sort([p IN products | p.product_id])[..20] AS products,
       apoc.coll.sort(apoc.coll.toSet(apoc.coll.flatten(
         [p IN products | COLLECT { MATCH (s:Seller)-[link1:LISTS WHERE link1.valid_to IS NULL]->(p) RETURN s.seller_id }])))[..20] AS sellers
ORDER BY n_products DESC, reviewer_a, reviewer_b
