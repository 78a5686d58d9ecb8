// params: {max_identifier_degree: 4}
// S1-S3 share device D1 and S1,S2 card P1 (found); S4,S5 share a benign prep-centre
// address (skipped); S6,S7 share an IP with three reviewers: degree 5 > 4 (skipped).
CREATE (s1:Seller {seller_id: 'S1', status: 'active'}),
       (s2:Seller {seller_id: 'S2', status: 'closed'}),
       (s3:Seller {seller_id: 'S3', status: 'active'}),
       (s4:Seller {seller_id: 'S4', status: 'active'}),
       (s5:Seller {seller_id: 'S5', status: 'active'}),
       (s6:Seller {seller_id: 'S6', status: 'active'}),
       (s7:Seller {seller_id: 'S7', status: 'active'}),
       (d1:Device {device_id: 'dev-0001'}),
       (p1:PaymentInstrument {token: 'aaaa1111bbbb2222', kind: 'card', last4: '4242'}),
       (a1:Address {hash: 'addr0000prep', benign: true, benign_reason: 'prep-centre'}),
       (ip:IP {ip: '203.0.113.7', version: 4}),
       (s1)-[:USED_DEVICE {first_seen: datetime('2024-01-01T00:00:00Z'), last_seen: datetime('2024-02-01T00:00:00Z')}]->(d1),
       (s2)-[:USED_DEVICE {first_seen: datetime('2024-01-05T00:00:00Z'), last_seen: datetime('2024-03-01T00:00:00Z')}]->(d1),
       (s3)-[:USED_DEVICE {first_seen: datetime('2024-01-09T00:00:00Z'), last_seen: datetime('2024-01-10T00:00:00Z')}]->(d1),
       (s1)-[:PAID_WITH {first_seen: datetime('2024-01-01T00:00:00Z'), last_seen: datetime('2024-01-01T00:00:00Z')}]->(p1),
       (s2)-[:PAID_WITH {first_seen: datetime('2024-01-02T00:00:00Z'), last_seen: datetime('2024-01-02T00:00:00Z')}]->(p1),
       (s4)-[:REGISTERED_AT]->(a1), (s5)-[:REGISTERED_AT]->(a1),
       (s6)-[:LOGGED_IN_FROM]->(ip), (s7)-[:LOGGED_IN_FROM]->(ip),
       (:Reviewer {reviewer_id: 'R1'})-[:LOGGED_IN_FROM]->(ip),
       (:Reviewer {reviewer_id: 'R2'})-[:LOGGED_IN_FROM]->(ip),
       (:Reviewer {reviewer_id: 'R3'})-[:LOGGED_IN_FROM]->(ip)
