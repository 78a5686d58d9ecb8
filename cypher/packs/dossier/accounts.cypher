// ---
// id: dossier.accounts
// title: Facts about a list of seller and reviewer accounts
// description: >
//   One row per account id given: kind (seller or reviewer), status, registration and
//   closure dates, closure reason, and the brands a seller sells. The ring sweep uses it
//   to describe ring members (status mix, brands). Dates are ISO 8601 text: the sweep asks
//   for 200k accounts at `seed` scale, and the driver hydrates a DateTime in ~0.1 ms.
//   Example: graphkit query run dossier.accounts --param account_ids=S000001,R0000007
// category: dossier
// severity: info
// precision: unmeasured
// params:
//   account_ids: {type: list, default: [], description: seller and reviewer ids}
//   max_brands: {type: int, default: 20, min: 0, max: 1000, description: brands listed per seller}
// output: table
// timeout_s: 30
// max_rows: 1000000
// tags: [dossier, seller, reviewer]
// references: []
// ---
UNWIND $account_ids AS account_id
OPTIONAL MATCH (s:Seller {seller_id: account_id})
OPTIONAL MATCH (r:Reviewer {reviewer_id: account_id})
WITH account_id, s, r
WHERE s IS NOT NULL OR r IS NOT NULL
RETURN account_id,
       CASE WHEN s IS NULL THEN 'reviewer' ELSE 'seller' END AS kind,
       coalesce(s.status, r.status) AS status,
       toString(coalesce(s.registered_at, r.joined_at)) AS registered_at,
       toString(s.closed_at) AS closed_at,
       s.reason AS reason,
       CASE WHEN s IS NULL THEN []
            ELSE apoc.coll.sort(COLLECT { MATCH (s)-[:SELLS]->(b:Brand) RETURN b.brand_id })[..$max_brands]
       END AS brands
ORDER BY account_id
