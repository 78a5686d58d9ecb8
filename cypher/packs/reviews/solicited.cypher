// ---
// id: reviews.solicited
// title: Reviews after the seller messaged or refunded the reviewer
// description: >
//   Each row is a seller and a reviewer the seller messaged or refunded, who then reviewed
//   the seller's products (reviews dated on or after the first contact). Free products
//   for 5-star reviews are traded this way. Honest look-alike: customer-service messages
//   and refunds after a complaint, usually followed by low ratings or none.
//   Each contact comes with its background: `contact_share`, the share of the seller's
//   buyers (reviewers of its listings, and accounts it contacted) it contacted: a seller
//   that messages most of its buyers is doing customer service. The share is estimated by
//   Laplace's rule, (`n_contacted` + 1) / (`n_buyers` + 2): a seller whose only two buyers
//   are the two it contacted is not known to contact everyone. And with what followed:
//   `hours_to_review`, `refund_share` (refunded / price of the products reviewed) and
//   `refund_after_review` (paid for the review, not a complaint settled before it: the refund
//   is dated on or after the day of the review, as feeds may give refunds by the day only,
//   at midnight, while the review that day has its hour).
//   Message bodies are not loaded, so the contact's topic is unknown here.
//   Times are ISO 8601 text (hydrating a million driver DateTimes costs over a minute).
//   Example: graphkit query run reviews.solicited --param min_rating=4
// category: reviews
// severity: high
// precision: high
// params:
//   min_rating: {type: float, default: 1.0, min: 1.0, max: 5.0, description: minimum average rating of the reviews}
//   max_contacts: {type: int, default: 100000, min: 1, max: 10000000, description: skip sellers that contacted more reviewers than this}
// output: table
// timeout_s: 300
// max_rows: 1000000
// tags: [reviews, seller, reviewer, messages, refunds]
// references: []
// ---
MATCH (s:Seller)
WHERE 0 < COUNT { (s)-[:MESSAGED|REFUNDED]->() } <= $max_contacts
// The seller's listings once, then per contacted reviewer a walk over their few reviews:
// a plan that stays small whatever the planner's statistics say right after a bulk load.
WITH s, COLLECT { MATCH (s)-[link1:LISTS WHERE link1.valid_to IS NULL]->(p:Product) RETURN p } AS listed
// Its buyers: the accounts it contacted and the reviewers of its listings, walked from the
// listings it holds (anchored on them: no plan from the whole Reviewer label).
WITH s, listed, COLLECT { MATCH (s)-[:MESSAGED|REFUNDED]->(r:Reviewer) RETURN DISTINCT r } AS contacted
WITH s, listed, contacted,
     COLLECT { UNWIND listed AS p MATCH (p)<-[:REVIEWED]-(r:Reviewer) RETURN DISTINCT r } AS reviewers
WITH s, listed, size(contacted) AS n_contacted, size(apoc.coll.union(contacted, reviewers)) AS n_buyers
MATCH (s)-[c:MESSAGED|REFUNDED]->(r:Reviewer)
WITH s, listed, n_contacted, n_buyers, r, min(c.first) AS first_contact,
     sum(CASE type(c) WHEN 'MESSAGED' THEN c.n ELSE 0 END) AS n_messages,
     sum(CASE type(c) WHEN 'REFUNDED' THEN c.n ELSE 0 END) AS n_refunds,
     sum(CASE type(c) WHEN 'REFUNDED' THEN c.amount ELSE 0 END) AS refunded,
     min(CASE type(c) WHEN 'REFUNDED' THEN c.first END) AS first_refund
CALL (r, listed, first_contact) {
  MATCH (r)-[rv:REVIEWED]->(p)
  WHERE p IN listed AND rv.ts >= first_contact
  RETURN count(rv) AS n_reviews, avg(rv.rating) AS avg_rating, min(rv.ts) AS first_review,
         sum(p.price) AS price
}
WITH s, r, n_contacted, n_buyers, first_contact, n_messages, n_refunds, refunded, first_refund,
     n_reviews, avg_rating, first_review, price
WHERE n_reviews > 0 AND avg_rating >= $min_rating
RETURN s.seller_id AS seller_id, r.reviewer_id AS reviewer_id, n_messages, n_refunds,
       round(refunded, 2) AS refunded, n_reviews, round(avg_rating, 2) AS avg_rating,
       n_contacted, n_buyers, round((n_contacted + 1.0) / (n_buyers + 2), 4) AS contact_share,
       round(duration.inSeconds(first_contact, first_review).seconds / 3600.0, 1) AS hours_to_review,
       CASE WHEN price > 0 THEN round(refunded / price, 3) END AS refund_share,
       first_refund IS NOT NULL AND date(first_refund) >= date(first_review) AS refund_after_review,
       toString(first_contact) AS first_contact, toString(first_review) AS first_review
ORDER BY n_reviews DESC, seller_id, reviewer_id
