// ---
// id: identity.rotation
// title: Identifier rotation shortly after a link or a closure
// description: >
//   Each row is an account (seller or reviewer) that retired an identifier (a changed
//   email, phone or address: the link's `valid_to`) within `window_days` after that
//   identifier became shared with another account (`trigger: shared`, at the later of the
//   two links' `valid_from`) or after an account linked through it was closed or suspended
//   (`trigger: closure`, at its `closed_at`). Ring operators rotate contact details once
//   they see one account linked or banned; honest accounts change theirs too, but rarely
//   right after such an event, so an ordinary change long after is not flagged.
//   History: this query reads retired links on purpose (`valid_from`/`valid_to`, kept by
//   the snapshot feeds); degrees count every account that ever held the identifier.
//   Example: graphkit query run identity.rotation --param window_days=14
// category: shared-identity
// severity: high
// precision: unmeasured
// params:
//   window_days: {type: int, default: 30, min: 0, max: 3650, description: days from the link or closure to the rotation}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: skip identifiers ever held by more accounts than this}
// history: true
// output: table
// timeout_s: 60
// max_rows: 10000
// tags: [seller, reviewer, rotation, enforcement, history]
// references: []
// ---
WITH {USED_DEVICE: 'device', PAID_WITH: 'payment', REGISTERED_AT: 'address',
      HAS_EMAIL: 'email', HAS_PHONE: 'phone', LOGGED_IN_FROM: 'ip'} AS kinds
MATCH (a:Seller|Reviewer)-[old:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM]->(i)
WHERE old.valid_to IS NOT NULL
  AND NOT coalesce(i.benign, false) AND COUNT { (i)<--() } <= $max_identifier_degree
MATCH (i)<-[link:USED_DEVICE|PAID_WITH|REGISTERED_AT|HAS_EMAIL|HAS_PHONE|LOGGED_IN_FROM]-(b:Seller|Reviewer)
WHERE b <> a
WITH kinds, a, old, i, b, link,
     coalesce(old.valid_from, old.first_seen) AS held_from,
     coalesce(link.valid_from, link.first_seen) AS other_from
WHERE other_from < old.valid_to
WITH kinds, a, old, i, b, link,
     CASE WHEN other_from > held_from THEN other_from ELSE held_from END AS shared_at
UNWIND [{trigger: 'shared',
         at: CASE WHEN link.valid_to IS NULL OR link.valid_to > shared_at THEN shared_at END},
        {trigger: 'closure',
         at: CASE WHEN b.status IN ['closed', 'suspended'] THEN b.closed_at END}] AS event
WITH kinds, a, old, i, b, event
WHERE event.at IS NOT NULL AND event.at <= old.valid_to
  AND old.valid_to <= event.at + duration({days: $window_days})
RETURN CASE WHEN a:Seller THEN 'seller' ELSE 'reviewer' END AS kind,
       coalesce(a.seller_id, a.reviewer_id) AS account_id,
       kinds[type(old)] AS identifier_kind,
       left(coalesce(i.hash, i.token, i.device_id, i.ip), 12) AS identifier,
       old.valid_to AS retired_at,
       event.trigger AS trigger,
       coalesce(b.seller_id, b.reviewer_id) AS linked_account,
       b.status AS linked_status,
       event.at AS trigger_at,
       duration.inDays(event.at, old.valid_to).days AS days_after
ORDER BY days_after, account_id, identifier, trigger, linked_account
