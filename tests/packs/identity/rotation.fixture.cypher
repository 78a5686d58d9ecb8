// params: {window_days: 30}
// S1 retires email e-1 9 days after S2 took it too (found: shared). S3 retires phone p-1 14
// days after S4, which held it as well, was closed (found: closure; the sharing itself is
// months old: not a trigger). S5 moves away from the address it shares with S6 a year and a
// half after they first shared it (an ordinary change: not flagged). S7 drops a benign email
// 2 days after S8 took it (benign: skipped). R1's current email is shared with S9 (no
// rotation: not flagged).
CREATE (s1:Seller {seller_id: 'S1', status: 'active'}), (s2:Seller {seller_id: 'S2', status: 'active'}),
       (s3:Seller {seller_id: 'S3', status: 'active'}),
       (s4:Seller {seller_id: 'S4', status: 'closed', closed_at: datetime('2024-05-01T00:00:00Z')}),
       (s5:Seller {seller_id: 'S5', status: 'active'}), (s6:Seller {seller_id: 'S6', status: 'active'}),
       (s7:Seller {seller_id: 'S7', status: 'active'}), (s8:Seller {seller_id: 'S8', status: 'active'}),
       (s9:Seller {seller_id: 'S9', status: 'active'}), (r1:Reviewer {reviewer_id: 'R1'}),
       (e1:Email {hash: 'email-1'}), (e2:Email {hash: 'email-2', benign: true}), (e3:Email {hash: 'email-3'}),
       (p1:Phone {hash: 'phone-1'}), (a1:Address {hash: 'address-1'}),
       (s1)-[:HAS_EMAIL {valid_from: datetime('2024-01-01T00:00:00Z'), valid_to: datetime('2024-03-10T00:00:00Z')}]->(e1),
       (s2)-[:HAS_EMAIL {valid_from: datetime('2024-03-01T00:00:00Z')}]->(e1),
       (s3)-[:HAS_PHONE {valid_from: datetime('2024-01-01T00:00:00Z'), valid_to: datetime('2024-05-15T00:00:00Z')}]->(p1),
       (s4)-[:HAS_PHONE {valid_from: datetime('2024-01-01T00:00:00Z')}]->(p1),
       (s5)-[:REGISTERED_AT {valid_from: datetime('2023-01-01T00:00:00Z'), valid_to: datetime('2024-06-01T00:00:00Z')}]->(a1),
       (s6)-[:REGISTERED_AT {valid_from: datetime('2023-01-01T00:00:00Z')}]->(a1),
       (s7)-[:HAS_EMAIL {valid_from: datetime('2024-01-01T00:00:00Z'), valid_to: datetime('2024-03-03T00:00:00Z')}]->(e2),
       (s8)-[:HAS_EMAIL {valid_from: datetime('2024-03-01T00:00:00Z')}]->(e2),
       (r1)-[:HAS_EMAIL {valid_from: datetime('2024-01-01T00:00:00Z')}]->(e3),
       (s9)-[:HAS_EMAIL {valid_from: datetime('2024-02-01T00:00:00Z')}]->(e3)
