// params: {min_rating: 1.0}
// S1 messaged R1 then R1 reviewed (found); S1 refunded R2 then R2 reviewed (found);
// R3 reviewed before S1 messaged them (no row); S1 refunded R4 on the day R4 reviewed, the
// refund dated by the day only (midnight): refund_after_review.
CREATE (s1:Seller {seller_id: 'S1'})-[:LISTS]->(p1:Product {product_id: 'P1', price: 19.99}),
       (r1:Reviewer {reviewer_id: 'R1'}), (r2:Reviewer {reviewer_id: 'R2'}), (r3:Reviewer {reviewer_id: 'R3'}),
       (r4:Reviewer {reviewer_id: 'R4'}),
       (s1)-[:MESSAGED {n: 2, first: datetime('2024-01-01T00:00:00Z'), last: datetime('2024-01-02T00:00:00Z')}]->(r1),
       (s1)-[:REFUNDED {n: 1, amount: 19.99, first: datetime('2024-01-01T00:00:00Z'), last: datetime('2024-01-01T00:00:00Z')}]->(r2),
       (s1)-[:MESSAGED {n: 1, first: datetime('2024-02-01T00:00:00Z'), last: datetime('2024-02-01T00:00:00Z')}]->(r3),
       (s1)-[:REFUNDED {n: 1, amount: 19.99, first: datetime('2024-01-05T00:00:00Z'), last: datetime('2024-01-05T00:00:00Z')}]->(r4),
       (r4)-[:REVIEWED {review_id: 'RV4', rating: 5, ts: datetime('2024-01-05T09:30:00Z')}]->(p1),
       (r1)-[:REVIEWED {review_id: 'RV1', rating: 5, ts: datetime('2024-01-03T00:00:00Z')}]->(p1),
       (r2)-[:REVIEWED {review_id: 'RV2', rating: 4, ts: datetime('2024-01-04T00:00:00Z')}]->(p1),
       (r3)-[:REVIEWED {review_id: 'RV3', rating: 5, ts: datetime('2024-01-04T00:00:00Z')}]->(p1)
