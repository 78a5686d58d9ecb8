// ---
// id: reviews.self-review
// title: Reviews written by accounts that share an identifier with the seller
// description: >
//   Each row is a seller and a reviewer that share a non-benign identifier (device, card,
//   address, email, phone or IP), where the reviewer reviewed the seller's products: the
//   seller, or someone at the same desk, is reviewing their own listings. `score` is the
//   FRAUDAR weight of the shared identifiers (1 / log(degree + 5) each).
//   Example: graphkit query run reviews.self-review --param max_identifier_degree=20
// category: reviews
// severity: critical
// precision: high
// params:
//   min_reviews: {type: int, default: 1, min: 1, max: 10000, description: reviews of the seller's products}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// output: table
// timeout_s: 30
// max_rows: 100000
// tags: [reviews, seller, reviewer]
// references: []
// ---
WITH {USED_DEVICE: 'device', PAID_WITH: 'payment', REGISTERED_AT: 'address',
      HAS_EMAIL: 'email', HAS_PHONE: 'phone', LOGGED_IN_FROM: 'ip'} AS kinds
MATCH (s:Seller)-[x:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE x.valid_to IS NULL]->(i)
WHERE NOT coalesce(i.benign, false) AND COUNT { (i)<-[link3 WHERE link3.valid_to IS NULL]-() } <= $max_identifier_degree
MATCH (i)<-[link1:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link1.valid_to IS NULL]-(r:Reviewer)
WITH s, r, kinds[type(x)] AS kind, 1.0 / log(COUNT { (i)<-[link4 WHERE link4.valid_to IS NULL]-() } + 5) AS weight
WITH s, r, sum(weight) AS score, apoc.coll.sort(collect(DISTINCT kind)) AS kinds
MATCH (s)-[link2:LISTS WHERE link2.valid_to IS NULL]->(p:Product)<-[rv:REVIEWED]-(r)
WITH s, r, score, kinds, count(rv) AS n_reviews, avg(rv.rating) AS avg_rating,
     collect(DISTINCT p.product_id) AS products
WHERE n_reviews >= $min_reviews
RETURN s.seller_id AS seller_id, r.reviewer_id AS reviewer_id, round(score, 4) AS score, kinds,
       n_reviews, round(avg_rating, 2) AS avg_rating, apoc.coll.sort(products)[..20] AS products
ORDER BY score DESC, seller_id, reviewer_id
