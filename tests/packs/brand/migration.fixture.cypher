// params: {window_days: 30, max_brand_sellers: 3}
// S1 closed 2024-03-01 selling B1; S2 (new, shares a card with S1) starts B1 ten days later;
// S3 starts B1 ninety days later (outside the window). B2 has four sellers (skipped).
CREATE (b1:Brand {brand_id: 'B1', name: 'Acme'}), (b2:Brand {brand_id: 'B2', name: 'Big'}),
       (s1:Seller {seller_id: 'S1', status: 'closed', registered_at: datetime('2023-01-01T00:00:00Z'), closed_at: datetime('2024-03-01T00:00:00Z')}),
       (s2:Seller {seller_id: 'S2', status: 'active', registered_at: datetime('2024-03-05T00:00:00Z')}),
       (s3:Seller {seller_id: 'S3', status: 'active', registered_at: datetime('2024-05-01T00:00:00Z')}),
       (s4:Seller {seller_id: 'S4', status: 'active', registered_at: datetime('2024-03-02T00:00:00Z')}),
       (p:PaymentInstrument {token: 'card-1'}),
       (s1)-[:PAID_WITH]->(p), (s2)-[:PAID_WITH]->(p),
       (s1)-[:SELLS {first_seen: datetime('2023-02-01T00:00:00Z')}]->(b1),
       (s2)-[:SELLS {first_seen: datetime('2024-03-11T00:00:00Z')}]->(b1),
       (s3)-[:SELLS {first_seen: datetime('2024-05-30T00:00:00Z')}]->(b1),
       (s1)-[:SELLS {first_seen: datetime('2023-02-01T00:00:00Z')}]->(b2),
       (s2)-[:SELLS {first_seen: datetime('2024-03-11T00:00:00Z')}]->(b2),
       (s3)-[:SELLS {first_seen: datetime('2024-03-11T00:00:00Z')}]->(b2),
       (s4)-[:SELLS {first_seen: datetime('2024-03-11T00:00:00Z')}]->(b2)
