// params: {min_closed: 1}
// Cluster: S1 closed, S2 suspended, S3 and S4 active, all on one card (S3 and S4 found).
// S5 active shares a benign address with closed S6 (skipped).
CREATE (s1:Seller {seller_id: 'S1', status: 'closed'}), (s2:Seller {seller_id: 'S2', status: 'suspended'}),
       (s3:Seller {seller_id: 'S3', status: 'active'}), (s4:Seller {seller_id: 'S4', status: 'active'}),
       (s5:Seller {seller_id: 'S5', status: 'active'}), (s6:Seller {seller_id: 'S6', status: 'closed'}),
       (p:PaymentInstrument {token: 'card-1'}), (a:Address {hash: 'addr-benign', benign: true}),
       (s1)-[:PAID_WITH]->(p), (s2)-[:PAID_WITH]->(p), (s3)-[:PAID_WITH]->(p), (s4)-[:PAID_WITH]->(p),
       (s5)-[:REGISTERED_AT]->(a), (s6)-[:REGISTERED_AT]->(a)
