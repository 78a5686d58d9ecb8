// ---
// id: brand.linked-sellers
// title: Brands sold by many linked seller accounts
// description: >
//   Each row is a brand and the seller accounts selling it that share a non-benign
//   identifier with another seller of the same brand. A brand carried by a cluster of
//   linked accounts is how a ring spreads one catalogue over many storefronts (one
//   crackdown closed ~3,000 accounts backed by ~600 brands). Big brands with thousands
//   of honest resellers are skipped via `max_brand_sellers`.
//   Example: graphkit query run brand.linked-sellers --param min_linked_sellers=4
// category: brand
// severity: high
// precision: high
// params:
//   min_linked_sellers: {type: int, default: 3, min: 2, max: 1000, description: linked sellers needed per brand}
//   max_brand_sellers: {type: int, default: 200, min: 2, max: 100000, description: skip brands with more sellers than this}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// output: table
// timeout_s: 30
// max_rows: 10000
// tags: [brand, seller]
// references: []
// ---
MATCH (s:Seller)-[link1:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link1.valid_to IS NULL]->(i)
WHERE NOT coalesce(i.benign, false) AND COUNT { (i)<-[link6 WHERE link6.valid_to IS NULL]-() } <= $max_identifier_degree
MATCH (i)<-[link2:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link2.valid_to IS NULL]-(t:Seller)
WHERE t <> s
MATCH (s)-[link3:SELLS WHERE link3.valid_to IS NULL]->(b:Brand)<-[link4:SELLS WHERE link4.valid_to IS NULL]-(t)
WITH DISTINCT b, s
WITH b, collect(s) AS linked
WHERE size(linked) >= $min_linked_sellers
WITH b, linked, COUNT { (b)<-[link5:SELLS WHERE link5.valid_to IS NULL]-(:Seller) } AS n_sellers
WHERE n_sellers <= $max_brand_sellers
RETURN b.brand_id AS brand_id, b.name AS brand, n_sellers, size(linked) AS n_linked_sellers,
       apoc.coll.sort([s IN linked | s.seller_id]) AS linked_sellers,
       apoc.coll.frequenciesAsMap([s IN linked | s.status]) AS status_mix
ORDER BY n_linked_sellers DESC, brand_id
