// ---
// id: identity.shared-identifier
// title: Seller accounts sharing one identifier
// description: >
//   Each row is one device, payment instrument, address, email, phone or IP used by at
//   least `min_accounts` seller accounts. Independent sellers rarely share any of these;
//   rings do. Benign identifiers (prep centres, carrier NAT, payment aggregators) are
//   skipped, and so is any identifier linked to more than `max_identifier_degree` accounts
//   (sellers and reviewers), so hubs cannot swamp the result. Benign look-alikes that
//   remain: households sharing a device, family businesses sharing an address.
//   Example: graphkit query run identity.shared-identifier --param identifier=payment
// category: shared-identity
// severity: high
// precision: medium
// params:
//   identifier: {type: str, default: any, choices: [any, device, payment, address, email, phone, ip], description: which identifier kind to look at}
//   min_accounts: {type: int, default: 2, min: 2, max: 1000, description: sellers that must share the identifier}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers linked to more accounts than this}
// output: table
// timeout_s: 30
// max_rows: 10000
// tags: [seller, device, payment, address, email, phone, ip]
// references: [https://neo4j.com/developer/industry-use-cases/finserv/retail-banking/automated-facial-recognition/]
// ---
WITH {USED_DEVICE: 'device', PAID_WITH: 'payment', REGISTERED_AT: 'address',
      HAS_EMAIL: 'email', HAS_PHONE: 'phone', LOGGED_IN_FROM: 'ip'} AS kinds
MATCH (s:Seller)-[r:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM WHERE r.valid_to IS NULL]->(i)
WITH kinds[type(r)] AS kind, i, s, r
WHERE ($identifier = 'any' OR kind = $identifier)
  AND NOT coalesce(i.benign, false)
  AND COUNT { (i)<-[link1 WHERE link1.valid_to IS NULL]-() } <= $max_identifier_degree
WITH kind, i, collect(s) AS sellers, min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen
WHERE size(sellers) >= $min_accounts
RETURN kind,
       left(coalesce(i.hash, i.token, i.device_id, i.ip), 12) AS identifier,
       COUNT { (i)<-[link2 WHERE link2.valid_to IS NULL]-() } AS degree,
       size(sellers) AS n_sellers,
       apoc.coll.sort([s IN sellers | s.seller_id]) AS sellers,
       apoc.coll.frequenciesAsMap([s IN sellers | s.status]) AS status_mix,
       first_seen,
       last_seen
ORDER BY n_sellers DESC, kind, identifier
