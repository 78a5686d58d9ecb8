// ---
// id: dossier.accounts
// title: Facts about a list of seller and reviewer accounts
// description: >
//   One row per account with an id given (an id that names a seller and a reviewer gives
//   two rows): kind (seller or reviewer, from its label), status, registration and
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
// Sellers and reviewers have keys of their own: an id may name one of each.
CALL (account_id) {
  MATCH (s:Seller {seller_id: account_id})
  RETURN s AS a, 'seller' AS kind, s.registered_at AS registered_at,
         apoc.coll.sort(COLLECT { MATCH (s)-[link1:SELLS WHERE link1.valid_to IS NULL]->(b:Brand) RETURN b.brand_id })[..$max_brands] AS brands
  UNION ALL
  MATCH (r:Reviewer {reviewer_id: account_id})
  RETURN r AS a, 'reviewer' AS kind, r.joined_at AS registered_at, [] AS brands
}
RETURN account_id, kind, a.status AS status, toString(registered_at) AS registered_at,
       toString(a.closed_at) AS closed_at, a.reason AS reason, brands
ORDER BY account_id, kind
