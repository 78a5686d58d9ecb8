// params: {max_identifier_degree: 4, max_gap_days: 90, reassignable: [address, phone, ip]}
// Seller A1 and reviewer X1 (ids of any form) share device D1 and seller X1 (the same id as
// the reviewer: each label has its own key) also uses it: three accounts, kinds from labels.
// A1 and A2 share IP 1 in the same months (found) and IP 2 two years apart (not counted);
// A3, A4 share a benign prep-centre address (skipped); A5 and four reviewers share an IP:
// degree 5 > 4 (skipped). A6, closed in 2022-06, used IP 4 until 2022-05; A7 first used it
// in 2023-03, 9 months later: counted, as succession (a banned operator back).
CREATE (a1:Seller {seller_id: 'A1'}), (a2:Seller {seller_id: 'A2'}), (sx:Seller {seller_id: 'X1'}),
       (a3:Seller {seller_id: 'A3'}), (a4:Seller {seller_id: 'A4'}), (a5:Seller {seller_id: 'A5'}),
       (x1:Reviewer {reviewer_id: 'X1'}),
       (d1:Device {device_id: 'dev-0001'}),
       (ip1:IP {ip: '203.0.113.7', version: 4}), (ip2:IP {ip: '203.0.113.8', version: 4}),
       (ip3:IP {ip: '198.51.100.1', version: 4}),
       (ad:Address {hash: 'addr0000prep', benign: true, benign_reason: 'prep-centre'}),
       (a1)-[:USED_DEVICE {first_seen: datetime('2024-01-01T00:00:00Z'), last_seen: datetime('2024-02-01T00:00:00Z')}]->(d1),
       (x1)-[:USED_DEVICE {first_seen: datetime('2024-01-05T00:00:00Z'), last_seen: datetime('2024-03-01T00:00:00Z')}]->(d1),
       (sx)-[:USED_DEVICE {first_seen: datetime('2022-01-05T00:00:00Z'), last_seen: datetime('2022-03-01T00:00:00Z')}]->(d1),
       (a1)-[:LOGGED_IN_FROM {first_seen: datetime('2024-01-01T00:00:00Z'), last_seen: datetime('2024-03-01T00:00:00Z')}]->(ip1),
       (a2)-[:LOGGED_IN_FROM {first_seen: datetime('2024-04-01T00:00:00Z'), last_seen: datetime('2024-05-01T00:00:00Z')}]->(ip1),
       (a1)-[:LOGGED_IN_FROM {first_seen: datetime('2022-01-01T00:00:00Z'), last_seen: datetime('2022-02-01T00:00:00Z')}]->(ip2),
       (a2)-[:LOGGED_IN_FROM {first_seen: datetime('2024-01-01T00:00:00Z'), last_seen: datetime('2024-02-01T00:00:00Z')}]->(ip2),
       (a3)-[:REGISTERED_AT]->(ad), (a4)-[:REGISTERED_AT]->(ad),
       (a5)-[:LOGGED_IN_FROM]->(ip3),
       (:Seller {seller_id: 'A6', status: 'closed', closed_at: datetime('2022-06-01T00:00:00Z')})
         -[:LOGGED_IN_FROM {first_seen: datetime('2022-01-01T00:00:00Z'), last_seen: datetime('2022-05-01T00:00:00Z')}]->
         (ip4:IP {ip: '198.51.100.9', version: 4})
         <-[:LOGGED_IN_FROM {first_seen: datetime('2023-03-01T00:00:00Z'), last_seen: datetime('2023-04-01T00:00:00Z')}]-
         (:Seller {seller_id: 'A7', status: 'active'})
WITH ip3
UNWIND ['Y1', 'Y2', 'Y3', 'Y4'] AS rid
CREATE (:Reviewer {reviewer_id: rid})-[:LOGGED_IN_FROM]->(ip3)
