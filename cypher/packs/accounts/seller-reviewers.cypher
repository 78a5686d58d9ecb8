// ---
// id: accounts.seller-reviewers
// title: How many of the given reviewers reviewed each seller's products
// description: >
//   Each row is a seller whose products were reviewed by at least one of `reviewer_ids`
//   (for `graphkit accounts score`: the reviewers whose behaviour scored as suspicious),
//   with how many distinct ones. The reviewer evidence on a seller's products.
//   Example: graphkit query run accounts.seller-reviewers --param reviewer_ids=R1,R2
// category: accounts
// severity: info
// precision: unmeasured
// params:
//   reviewer_ids: {type: list, default: [], description: reviewers to count}
// output: table
// timeout_s: 600
// max_rows: 20000000
// tags: [accounts, seller, reviewer]
// references: []
// ---
UNWIND $reviewer_ids AS reviewer_id
MATCH (r:Reviewer {reviewer_id: reviewer_id})-[:REVIEWED]->(:Product)<-[link1:LISTS WHERE link1.valid_to IS NULL]-(s:Seller)
RETURN s.seller_id AS seller_id, count(DISTINCT r) AS n_flagged_reviewers
ORDER BY seller_id
