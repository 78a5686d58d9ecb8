// ---
// id: brand.co-selling
// title: Seller pairs selling the same niche brands
// description: >
//   Each row is a pair of seller accounts that sell at least `min_shared` of the same
//   brands, scored FRAUDAR-style: each shared brand adds 1 / log(sellers + 5), so a
//   private label sold by a handful of accounts counts far more than a household name.
//   Brand-front rings spread a few exclusive brands over many storefronts; honest
//   resellers rarely carry the same two niche brands. Brands with more than
//   `max_brand_sellers` sellers are skipped. `expected` is how many brands two sellers with
//   these catalogues would share by chance, given how many sellers carry each brand.
//   Example: graphkit query run brand.co-selling --param min_shared=3
// category: brand
// severity: medium
// precision: medium
// params:
//   min_shared: {type: int, default: 2, min: 1, max: 100, description: brands both sellers sell}
//   max_brand_sellers: {type: int, default: 40, min: 2, max: 100000, description: skip brands with more sellers than this}
// output: table
// timeout_s: 60
// max_rows: 1000000
// tags: [brand, seller, fraudar]
// references: [https://www.kdd.org/kdd2016/papers/files/rfp0110-hooiA.pdf]
// ---
CALL () {
  MATCH ()-[sells:SELLS WHERE sells.valid_to IS NULL]->()
  RETURN count(sells) AS n_sells
}
MATCH (b:Brand)<-[link1:SELLS WHERE link1.valid_to IS NULL]-(s:Seller)
WITH n_sells, b, collect(s.seller_id) AS sellers
WHERE 2 <= size(sellers) <= $max_brand_sellers
WITH n_sells, b, sellers, 1.0 / log(size(sellers) + 5) AS weight
UNWIND sellers AS a
UNWIND sellers AS c
WITH n_sells, a, c, b, weight, size(sellers) AS n_sellers
WHERE a < c
WITH n_sells, a, c, count(*) AS n_shared, sum(weight) AS score,
     collect({brand: b.brand_id, sellers: n_sellers, weight: round(weight, 4)}) AS evidence
WHERE n_shared >= $min_shared
// The background: how many shared brands the two sellers' catalogue sizes and their brands'
// popularity predict (a configuration null model, as for lockstep reviews).
MATCH (x:Seller {seller_id: a}), (y:Seller {seller_id: c})
CALL (x) {
  MATCH (x)-[link2:SELLS WHERE link2.valid_to IS NULL]->(q:Brand)
  RETURN count(q) AS k_a, sum(COUNT { (q)<-[link3:SELLS WHERE link3.valid_to IS NULL]-() } - 1) AS reach_a
}
CALL (y) {
  MATCH (y)-[link4:SELLS WHERE link4.valid_to IS NULL]->(q:Brand)
  RETURN count(q) AS k_b, sum(COUNT { (q)<-[link5:SELLS WHERE link5.valid_to IS NULL]-() } - 1) AS reach_b
}
RETURN a AS seller_a, c AS seller_b, n_shared, round(score, 4) AS score,
       round((k_a * reach_b + k_b * reach_a) / (2.0 * n_sells), 6) AS expected,
       apoc.coll.sortMaps(evidence, '^brand') AS evidence
ORDER BY score DESC, seller_a, seller_b
