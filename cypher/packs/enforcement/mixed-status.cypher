// ---
// id: enforcement.mixed-status
// title: Active accounts whose linked accounts were closed (act next)
// description: >
//   Each row is an active seller account that shares non-benign identifiers with at least
//   `min_closed` closed or suspended accounts: the part of a partly-enforced ring that is
//   still trading. `closed_ratio` is the closed share of its linked accounts. The ring
//   sweep reports the same mix per cluster (`graphkit ring sweep`).
//   Example: graphkit query run enforcement.mixed-status --param min_closed=2
// category: enforcement
// severity: high
// precision: high
// params:
//   min_closed: {type: int, default: 1, min: 1, max: 1000, description: closed or suspended linked accounts needed}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// output: table
// timeout_s: 30
// max_rows: 10000
// tags: [enforcement, seller]
// references: []
// ---
MATCH (s:Seller {status: 'active'})-[r1:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE r1.valid_to IS NULL]->(i)
WHERE NOT coalesce(i.benign, false) AND COUNT { (i)<-[link1 WHERE link1.valid_to IS NULL]-() } <= $max_identifier_degree
MATCH (i)<-[r2:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE r2.valid_to IS NULL]-(t:Seller)
WHERE t <> s
WITH s, collect(DISTINCT t) AS linked
WITH s, linked, [t IN linked WHERE t.status IN ['closed', 'suspended']] AS closed
WHERE size(closed) >= $min_closed
RETURN s.seller_id AS seller_id, size(linked) AS n_linked, size(closed) AS n_closed,
       round(toFloat(size(closed)) / size(linked), 3) AS closed_ratio,
       apoc.coll.sort([t IN closed | t.seller_id]) AS closed_sellers
ORDER BY n_closed DESC, closed_ratio DESC, seller_id
