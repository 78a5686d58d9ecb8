// ---
// id: identity.overlap-score
// title: Seller pairs scored by the rare identifiers they share
// description: >
//   Each row is a pair of seller accounts and every non-benign identifier they share,
//   scored FRAUDAR-style: each shared identifier adds 1 / log(degree + 5), so a device used
//   by two accounts counts far more than an IP used by forty. Pairs sharing several kinds
//   of identifier (a device and a card and a phone) are the strongest ring evidence.
//   `evidence` lists each shared identifier with its kind, hash prefix, degree, weight and
//   first/last seen. These pairs are the edges the ring sweep builds clusters from.
//   Example: graphkit query run identity.overlap-score --param min_shared=2
// category: shared-identity
// severity: high
// precision: medium
// params:
//   min_score: {type: float, default: 0.0, min: 0.0, description: minimum summed weight}
//   min_shared: {type: int, default: 1, min: 1, max: 100, description: minimum shared identifiers}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// output: table
// timeout_s: 60
// max_rows: 1000000
// tags: [seller, fraudar, score]
// references: [https://www.kdd.org/kdd2016/papers/files/rfp0110-hooiA.pdf]
// ---
WITH {USED_DEVICE: 'device', PAID_WITH: 'payment', REGISTERED_AT: 'address',
      HAS_EMAIL: 'email', HAS_PHONE: 'phone', LOGGED_IN_FROM: 'ip'} AS kinds
MATCH (s:Seller)-[r:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE r.valid_to IS NULL]->(i)
WHERE NOT coalesce(i.benign, false) AND COUNT { (i)<-[link1 WHERE link1.valid_to IS NULL]-() } <= $max_identifier_degree
WITH i, kinds[type(r)] AS kind, collect({id: s.seller_id, first: r.first_seen, last: r.last_seen}) AS members
WHERE size(members) >= 2
WITH i, kind, members, COUNT { (i)<-[link2 WHERE link2.valid_to IS NULL]-() } AS degree
WITH i, kind, members, degree, 1.0 / log(degree + 5) AS weight
UNWIND members AS a
UNWIND members AS b
WITH i, kind, degree, weight, a, b
WHERE a.id < b.id
WITH a.id AS seller_a, b.id AS seller_b,
     sum(weight) AS score,
     count(*) AS n_shared,
     apoc.coll.sort(collect(DISTINCT kind)) AS kinds,
     collect({kind: kind, identifier: left(coalesce(i.hash, i.token, i.device_id, i.ip), 12),
              degree: degree, weight: round(weight, 4),
              first_seen: CASE WHEN a.first < b.first THEN a.first ELSE b.first END,
              last_seen: CASE WHEN a.last > b.last THEN a.last ELSE b.last END}) AS evidence
WHERE score >= $min_score AND n_shared >= $min_shared
RETURN seller_a, seller_b, round(score, 4) AS score, n_shared, kinds,
       apoc.coll.sortMaps(evidence, '^identifier') AS evidence
ORDER BY score DESC, seller_a, seller_b
