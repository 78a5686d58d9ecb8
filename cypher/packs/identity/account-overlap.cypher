// ---
// id: identity.account-overlap
// title: Account pairs (sellers and reviewers) sharing rare identifiers at the same time
// description: >
//   Each row is a pair of accounts, sellers or reviewers (`kind_a`, `kind_b` come from
//   their labels), and every non-benign identifier they share, scored FRAUDAR-style: each
//   adds 1 / log(degree + 5), so a device two accounts use counts far more than an IP forty
//   use. Identifiers seen in sessions that pass from holder to holder (the `reassignable`
//   kinds: IPs; the ring sweep leaves out addresses and phones of the account record, held
//   by both while both links are current) count only when the two accounts held them within
//   `max_gap_days` of each other (first/last seen; counted when unknown): two accounts on one
//   IP in different years are not linked, unless the earlier holder was closed or suspended
//   before the later one first used it (`succession`: a banned operator back under a new
//   name, as `enforcement.repeat-offenders` finds). `evidence` lists each identifier with
//   its kind, hash prefix, degree, weight, first/last seen, the gap in days and succession.
//   The ring sweep builds its identity components from these pairs; seller-only pairs:
//   `identity.overlap-score`.
//   Example: graphkit query run identity.account-overlap --param min_score=0.5
// category: shared-identity
// severity: high
// precision: medium
// params:
//   min_score: {type: float, default: 0.0, min: 0.0, description: minimum summed weight}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
//   max_gap_days: {type: int, default: 90, min: 0, max: 36500, description: reassignable identifiers count when held this close in time}
//   reassignable: {type: list, default: [address, phone, ip], description: identifier kinds that pass from holder to holder}
// output: table
// timeout_s: 120
// max_rows: 2000000
// tags: [seller, reviewer, fraudar, score]
// references: [https://www.kdd.org/kdd2016/papers/files/rfp0110-hooiA.pdf]
// ---
WITH {USED_DEVICE: 'device', PAID_WITH: 'payment', REGISTERED_AT: 'address',
      HAS_EMAIL: 'email', HAS_PHONE: 'phone', LOGGED_IN_FROM: 'ip'} AS kinds
MATCH (x:Seller|Reviewer)-[r:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE r.valid_to IS NULL]->(i)
WHERE NOT coalesce(i.benign, false) AND COUNT { (i)<-[link1 WHERE link1.valid_to IS NULL]-() } <= $max_identifier_degree
WITH i, kinds[type(r)] AS kind,
     collect({kind: CASE WHEN x:Seller THEN 'seller' ELSE 'reviewer' END,
              id: coalesce(x.seller_id, x.reviewer_id), first: r.first_seen, last: r.last_seen,
              closed: CASE WHEN x.status IN ['closed', 'suspended'] THEN x.closed_at END}) AS members
WHERE size(members) >= 2
WITH i, kind, members, COUNT { (i)<-[link2 WHERE link2.valid_to IS NULL]-() } AS degree
WITH i, kind, members, degree, 1.0 / log(degree + 5) AS weight
UNWIND members AS a
UNWIND members AS b
WITH i, kind, degree, weight, a, b,
     CASE WHEN a.first IS NULL OR b.first IS NULL OR a.last IS NULL OR b.last IS NULL THEN null
          WHEN a.last < b.first THEN duration.inDays(a.last, b.first).days
          WHEN b.last < a.first THEN duration.inDays(b.last, a.first).days
          ELSE 0 END AS gap_days,
     coalesce((a.closed IS NOT NULL AND b.first >= a.closed)
              OR (b.closed IS NOT NULL AND a.first >= b.closed), false) AS succession
WHERE [a.kind, a.id] < [b.kind, b.id]
  AND (NOT kind IN $reassignable OR gap_days IS NULL OR gap_days <= $max_gap_days OR succession)
WITH a.kind AS kind_a, a.id AS account_a, b.kind AS kind_b, b.id AS account_b,
     sum(weight) AS score,
     count(*) AS n_shared,
     apoc.coll.sort(collect(DISTINCT kind)) AS kinds,
     collect({kind: kind, identifier: left(coalesce(i.hash, i.token, i.device_id, i.ip), 12),
              degree: degree, weight: round(weight, 4), gap_days: gap_days, succession: succession,
              first_seen: CASE WHEN a.first < b.first THEN a.first ELSE b.first END,
              last_seen: CASE WHEN a.last > b.last THEN a.last ELSE b.last END}) AS evidence
WHERE score >= $min_score
RETURN kind_a, account_a, kind_b, account_b, round(score, 4) AS score, n_shared, kinds,
       apoc.coll.sortMaps(evidence, '^identifier') AS evidence
ORDER BY score DESC, kind_a, account_a, kind_b, account_b
