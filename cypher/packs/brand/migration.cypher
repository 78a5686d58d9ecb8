// ---
// id: brand.migration
// title: Brands migrating from closed accounts to new ones
// description: >
//   Each row is a brand that a closed or suspended seller sold and that a seller account
//   registered around or after the closure started selling within `window_days`. Rings
//   move their brands to fresh storefronts after a ban. `shared_identifiers` counts the
//   non-benign identifiers the old and new account share (strong corroboration when > 0).
//   Brands with many sellers (`max_brand_sellers`) are skipped: honest resellers of big
//   brands come and go all the time.
//   History: the closed seller's brands and identifiers count whether current or retired
//   (what it sold and used before the ban); the new seller's are current ones.
//   Example: graphkit query run brand.migration --param window_days=30
// category: brand
// severity: high
// precision: low
// params:
//   window_days: {type: int, default: 60, min: 1, max: 730, description: days after the closure}
//   max_brand_sellers: {type: int, default: 50, min: 2, max: 100000, description: skip brands with more sellers than this}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: identifiers above this degree do not count as shared}
// history: true
// output: table
// timeout_s: 30
// max_rows: 10000
// tags: [brand, enforcement, seller]
// references: []
// ---
MATCH (old:Seller)-[:SELLS]->(b:Brand)
WHERE old.status IN ['closed', 'suspended'] AND old.closed_at IS NOT NULL
  AND COUNT { (b)<-[link2:SELLS WHERE link2.valid_to IS NULL]-(:Seller) } <= $max_brand_sellers
MATCH (b)<-[sells:SELLS WHERE sells.valid_to IS NULL]-(new:Seller)
WHERE new <> old
  AND new.registered_at >= old.closed_at - duration({days: $window_days})
  AND sells.first_seen >= old.closed_at
  AND sells.first_seen <= old.closed_at + duration({days: $window_days})
WITH b, old, new, sells,
     COUNT {
       (old)-[:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM]->(i)
            <-[link4:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link4.valid_to IS NULL]-(new)
       WHERE NOT coalesce(i.benign, false) AND COUNT { (i)<-[link5 WHERE link5.valid_to IS NULL]-() } <= $max_identifier_degree
     } AS shared_identifiers
RETURN b.brand_id AS brand_id, b.name AS brand,
       old.seller_id AS closed_seller, old.status AS closed_status, old.closed_at AS closed_at,
       new.seller_id AS new_seller, new.registered_at AS new_registered_at,
       sells.first_seen AS new_first_sold,
       duration.inDays(old.closed_at, sells.first_seen).days AS days_after_closure,
       shared_identifiers
ORDER BY shared_identifiers DESC, brand_id, closed_seller, new_seller
