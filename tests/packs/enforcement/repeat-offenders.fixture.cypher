// params: {min_score: 0.3}
// S1 closed; S2 registered later shares its device and phone (found); S3 registered before
// the closure (not "new"); S4 later but shares only a benign IP (skipped).
CREATE (s1:Seller {seller_id: 'S1', status: 'closed', reason: 'counterfeit', registered_at: datetime('2023-01-01T00:00:00Z'), closed_at: datetime('2024-01-01T00:00:00Z')}),
       (s2:Seller {seller_id: 'S2', status: 'active', registered_at: datetime('2024-02-01T00:00:00Z')}),
       (s3:Seller {seller_id: 'S3', status: 'active', registered_at: datetime('2023-06-01T00:00:00Z')}),
       (s4:Seller {seller_id: 'S4', status: 'active', registered_at: datetime('2024-02-01T00:00:00Z')}),
       (d:Device {device_id: 'dev-1'}), (ph:Phone {hash: 'phone-1'}), (ip:IP {ip: '10.0.0.1', benign: true}),
       (s1)-[:USED_DEVICE]->(d), (s2)-[:USED_DEVICE]->(d), (s3)-[:USED_DEVICE]->(d),
       (s1)-[:HAS_PHONE]->(ph), (s2)-[:HAS_PHONE]->(ph),
       (s1)-[:LOGGED_IN_FROM]->(ip), (s4)-[:LOGGED_IN_FROM]->(ip)
