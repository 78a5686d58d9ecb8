// ---
// id: accounts.seller-behaviour
// title: Identity, enforcement and review features of every seller
// description: >
//   One row per seller: `status`; `n_identifiers` (its non-benign identifiers);
//   `shared_rarity` (FRAUDAR: each identifier it shares with another account adds
//   1 / log(degree + 5), so a device on two accounts counts far more than an IP on forty);
//   `n_linked_sellers` and `n_linked_closed` (sellers sharing such an identifier, and how many
//   of them are closed or suspended); `n_products` and `n_reviewers` (distinct reviewers of
//   its products). Identifiers linked to more than `max_identifier_degree` accounts are
//   skipped, as in identity.overlap-score.
//   Example: graphkit query run accounts.seller-behaviour --param max_identifier_degree=20
// category: accounts
// severity: info
// precision: unmeasured
// params:
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// output: table
// timeout_s: 600
// max_rows: 20000000
// tags: [accounts, seller, fraudar]
// references: [https://www.kdd.org/kdd2016/papers/files/rfp0110-hooiA.pdf]
// ---
MATCH (s:Seller)
CALL (s) {
  OPTIONAL MATCH (s)-[link1:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link1.valid_to IS NULL]->(i)
  WHERE NOT coalesce(i.benign, false)
  WITH i, COUNT { (i)<-[link5 WHERE link5.valid_to IS NULL]-() } AS degree
  RETURN count(i) AS n_identifiers,
         sum(CASE WHEN 2 <= degree <= $max_identifier_degree THEN 1.0 / log(degree + 5)
             ELSE 0.0 END) AS shared_rarity
}
CALL (s) {
  OPTIONAL MATCH (s)-[link2:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link2.valid_to IS NULL]->(i)
                 <-[link3:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE link3.valid_to IS NULL]-(t:Seller)
  WHERE t <> s AND NOT coalesce(i.benign, false)
        AND COUNT { (i)<-[link6 WHERE link6.valid_to IS NULL]-() } <= $max_identifier_degree
  WITH collect(DISTINCT t) AS linked
  RETURN size(linked) AS n_linked_sellers,
         size([t IN linked WHERE t.status IN ['closed', 'suspended']]) AS n_linked_closed
}
CALL (s) {
  OPTIONAL MATCH (s)-[link4:LISTS WHERE link4.valid_to IS NULL]->(p:Product)
  OPTIONAL MATCH (p)<-[:REVIEWED]-(r:Reviewer)
  RETURN count(DISTINCT p) AS n_products, count(DISTINCT r) AS n_reviewers
}
RETURN s.seller_id AS seller_id, s.status AS status, n_identifiers,
       round(shared_rarity, 4) AS shared_rarity, n_linked_sellers, n_linked_closed,
       n_products, n_reviewers
ORDER BY seller_id
