// params: {min_linked_sellers: 2, max_brand_sellers: 4}
// B1: S1,S2 linked by a device, S3 unlinked (found: S1,S2). B2: S4,S5 linked only by a benign
// address (skipped). B3: five sellers, two linked (over max_brand_sellers, skipped).
CREATE (b1:Brand {brand_id: 'B1', name: 'Acme'}), (b2:Brand {brand_id: 'B2', name: 'Bolt'}),
       (b3:Brand {brand_id: 'B3', name: 'Big'}),
       (s1:Seller {seller_id: 'S1', status: 'closed'}), (s2:Seller {seller_id: 'S2', status: 'active'}),
       (s3:Seller {seller_id: 'S3', status: 'active'}), (s4:Seller {seller_id: 'S4', status: 'active'}),
       (s5:Seller {seller_id: 'S5', status: 'active'}), (s6:Seller {seller_id: 'S6', status: 'active'}),
       (d1:Device {device_id: 'dev-1'}), (a1:Address {hash: 'addr-benign', benign: true}),
       (s1)-[:USED_DEVICE]->(d1), (s2)-[:USED_DEVICE]->(d1),
       (s4)-[:REGISTERED_AT]->(a1), (s5)-[:REGISTERED_AT]->(a1),
       (s1)-[:SELLS]->(b1), (s2)-[:SELLS]->(b1), (s3)-[:SELLS]->(b1),
       (s4)-[:SELLS]->(b2), (s5)-[:SELLS]->(b2),
       (s1)-[:SELLS]->(b3), (s2)-[:SELLS]->(b3), (s3)-[:SELLS]->(b3), (s4)-[:SELLS]->(b3),
       (s6)-[:SELLS]->(b3)
