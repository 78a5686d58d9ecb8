// ---
// id: accounts.list
// title: Every seller and reviewer account, with its kind from its label
// description: >
//   One row per Seller or Reviewer node: its id and its kind (`seller` or `reviewer`),
//   taken from the node's label, never from the id's form. `graphkit accounts score` starts
//   from this list, so an account with no behaviour to measure still gets a row.
//   Example: graphkit query run accounts.list
// category: accounts
// severity: info
// precision: unmeasured
// params: {}
// output: table
// timeout_s: 120
// max_rows: 20000000
// tags: [accounts, seller, reviewer]
// references: []
// ---
MATCH (s:Seller)
RETURN s.seller_id AS account_id, 'seller' AS kind
UNION ALL
MATCH (r:Reviewer)
RETURN r.reviewer_id AS account_id, 'reviewer' AS kind
