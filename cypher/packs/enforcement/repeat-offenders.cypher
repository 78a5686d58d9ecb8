// ---
// id: enforcement.repeat-offenders
// title: New accounts linked to closed or suspended accounts
// description: >
//   Each row is a seller account registered after a closed or suspended account it shares
//   non-benign identifiers with, scored FRAUDAR-style (1 / log(degree + 5) per shared
//   identifier). Banned operators come back under new names with the same device, card or
//   phone. `min_score` filters weak single-IP links.
//   History: the closed account's links count whether current or retired (an email it
//   rotated away before the ban still ties it to the new account); the new account's links
//   and the degrees are current ones.
//   Example: graphkit query run enforcement.repeat-offenders --param min_score=0.5
// category: enforcement
// severity: critical
// precision: high
// params:
//   min_score: {type: float, default: 0.3, min: 0.0, description: minimum summed weight of shared identifiers}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// history: true
// output: table
// timeout_s: 30
// max_rows: 10000
// tags: [enforcement, seller]
// references: [https://www.kdd.org/kdd2016/papers/files/rfp0110-hooiA.pdf]
// ---
WITH {USED_DEVICE: 'device', PAID_WITH: 'payment', REGISTERED_AT: 'address',
      HAS_EMAIL: 'email', HAS_PHONE: 'phone', LOGGED_IN_FROM: 'ip'} AS kinds
MATCH (old:Seller)-[r1:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM]->(i)
WHERE old.status IN ['closed', 'suspended']
  AND NOT coalesce(i.benign, false) AND COUNT { (i)<-[link1 WHERE link1.valid_to IS NULL]-() } <= $max_identifier_degree
MATCH (i)<-[r2:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE r2.valid_to IS NULL]-(new:Seller)
WHERE new.registered_at > coalesce(old.closed_at, old.registered_at)
WITH new, old, kinds[type(r1)] AS kind, 1.0 / log(COUNT { (i)<-[link2 WHERE link2.valid_to IS NULL]-() } + 5) AS weight
WITH new, old, sum(weight) AS score, apoc.coll.sort(collect(DISTINCT kind)) AS kinds
WHERE score >= $min_score
RETURN new.seller_id AS new_seller, new.status AS new_status, new.registered_at AS registered_at,
       old.seller_id AS linked_seller, old.status AS linked_status, old.closed_at AS closed_at,
       old.reason AS closed_reason, round(score, 4) AS score, kinds
ORDER BY score DESC, new_seller, linked_seller
