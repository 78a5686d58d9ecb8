// params: {seller_id: 'S1', hops: 2, max_identifier_degree: 3}
// S1's device leads to S2 (hop 2); S1's benign IP is shown but not expanded (S9 absent);
// S2's brand is three hops away (absent at hops=2).
CREATE (s1:Seller {seller_id: 'S1'}), (s2:Seller {seller_id: 'S2'}), (s9:Seller {seller_id: 'S9'}),
       (d:Device {device_id: 'dev-1'}), (ip:IP {ip: '10.0.0.1', benign: true}),
       (s1)-[:USED_DEVICE]->(d), (s2)-[:USED_DEVICE]->(d),
       (s1)-[:LOGGED_IN_FROM]->(ip), (s9)-[:LOGGED_IN_FROM]->(ip),
       (s2)-[:SELLS]->(:Brand {brand_id: 'B2'})
