// params: {max_identifier_degree: 10}
// R1 shares S1's phone and reviewed S1's product (found). R2 shares only a benign IP with S1
// (skipped). R3 shares S1's device but never reviewed S1's products (no row).
CREATE (s1:Seller {seller_id: 'S1'})-[:LISTS]->(p1:Product {product_id: 'P1'}),
       (r1:Reviewer {reviewer_id: 'R1'}), (r2:Reviewer {reviewer_id: 'R2'}),
       (r3:Reviewer {reviewer_id: 'R3'}),
       (ph:Phone {hash: 'phone-1'}), (ip:IP {ip: '10.0.0.1', benign: true}), (d:Device {device_id: 'dev-1'}),
       (s1)-[:HAS_PHONE]->(ph), (r1)-[:HAS_PHONE]->(ph),
       (s1)-[:LOGGED_IN_FROM]->(ip), (r2)-[:LOGGED_IN_FROM]->(ip),
       (s1)-[:USED_DEVICE]->(d), (r3)-[:USED_DEVICE]->(d),
       (r1)-[:REVIEWED {review_id: 'RV1', rating: 5, ts: datetime('2024-01-02T00:00:00Z')}]->(p1),
       (r2)-[:REVIEWED {review_id: 'RV2', rating: 5, ts: datetime('2024-01-02T00:00:00Z')}]->(p1)
