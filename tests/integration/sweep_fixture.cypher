// A planted ring (S1-S3 share a device, a card and a phone; S1 closed), its reviewers
// (R1 self-review via S2's email, R2 solicited and refunded after a 5-star review, R3-R5 in
// lockstep on the ring's products), a review-only pool (R6-R8 in lockstep on P4-P6, listed
// by no seller), a benign look-alike household (S8, S9 share one device only), and 300
// background reviews so that the lockstep null model has a background to measure against.
CREATE (s1:Seller {seller_id: 'S1', status: 'closed', registered_at: datetime('2023-01-01T00:00:00Z'), closed_at: datetime('2024-01-01T00:00:00Z')}),
       (s2:Seller {seller_id: 'S2', status: 'active', registered_at: datetime('2024-02-01T00:00:00Z')}),
       (s3:Seller {seller_id: 'S3', status: 'active', registered_at: datetime('2024-02-03T00:00:00Z')}),
       (s8:Seller {seller_id: 'S8', status: 'active'}), (s9:Seller {seller_id: 'S9', status: 'active'}),
       (d:Device {device_id: 'dev-ring'}), (c:PaymentInstrument {token: 'card-ring'}), (ph:Phone {hash: 'phone-ring'}),
       (e:Email {hash: 'email-s2'}), (hd:Device {device_id: 'dev-home'}),
       (s1)-[:USED_DEVICE]->(d), (s2)-[:USED_DEVICE]->(d), (s3)-[:USED_DEVICE]->(d),
       (s1)-[:PAID_WITH]->(c), (s2)-[:PAID_WITH]->(c), (s3)-[:PAID_WITH]->(c),
       (s2)-[:HAS_PHONE]->(ph), (s3)-[:HAS_PHONE]->(ph),
       (s8)-[:USED_DEVICE]->(hd), (s9)-[:USED_DEVICE]->(hd),
       (s2)-[:HAS_EMAIL]->(e), (r1:Reviewer {reviewer_id: 'R1', status: 'active'})-[:HAS_EMAIL]->(e),
       (s2)-[:SELLS]->(:Brand {brand_id: 'B1'}),
       (s2)-[:LISTS]->(p1:Product {product_id: 'P1', price: 10.0}),
       (s3)-[:LISTS]->(p2:Product {product_id: 'P2', price: 20.0}),
       (s3)-[:LISTS]->(p3:Product {product_id: 'P3', price: 30.0}),
       (r2:Reviewer {reviewer_id: 'R2', status: 'active'}),
       (s3)-[:MESSAGED {n: 1, first: datetime('2024-03-01T00:00:00Z'), last: datetime('2024-03-01T00:00:00Z')}]->(r2),
       (s3)-[:REFUNDED {n: 1, amount: 20.0, first: datetime('2024-03-06T00:00:00Z'), last: datetime('2024-03-06T00:00:00Z')}]->(r2),
       (r1)-[:REVIEWED {review_id: 'V1', rating: 5, ts: datetime('2024-03-01T00:00:00Z')}]->(p1),
       (r2)-[:REVIEWED {review_id: 'V2', rating: 5, ts: datetime('2024-03-05T00:00:00Z')}]->(p2);
UNWIND [['R3', ['P1', 'P2', 'P3']], ['R4', ['P1', 'P2', 'P3']], ['R5', ['P1', 'P2', 'P3']],
        ['R6', ['P4', 'P5', 'P6']], ['R7', ['P4', 'P5', 'P6']], ['R8', ['P4', 'P5', 'P6']]] AS pool
MERGE (r:Reviewer {reviewer_id: pool[0]}) SET r.status = 'active'
WITH r, pool
UNWIND range(0, 2) AS k
MERGE (p:Product {product_id: pool[1][k]})
CREATE (r)-[:REVIEWED {review_id: r.reviewer_id + p.product_id, rating: 5,
                       ts: datetime('2024-04-01T10:00:00Z') + duration({days: 4 * k})}]->(p);
UNWIND range(1, 300) AS i
CREATE (:Reviewer {reviewer_id: 'BG' + i, status: 'active'})
         -[:REVIEWED {review_id: 'BGV' + i, rating: 4, ts: datetime('2024-01-01T00:00:00Z') + duration({days: i})}]->
       (:Product {product_id: 'BGP' + i})
