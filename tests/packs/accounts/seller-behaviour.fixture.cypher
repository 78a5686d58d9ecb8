// params: {max_identifier_degree: 3}
// S1 and S2 share a device (degree 2, weight 1/log 7); S2 and closed S3 share a phone.
// S4 shares a benign address with S1 (skipped) and an IP with three others (degree 4, over
// the cap). S4 lists P1, reviewed by R1 and R2.
CREATE (s1:Seller {seller_id: 'S1', status: 'active'}), (s2:Seller {seller_id: 'S2', status: 'active'}),
       (s3:Seller {seller_id: 'S3', status: 'closed'}), (s4:Seller {seller_id: 'S4', status: 'active'}),
       (d:Device {hash: 'dev-1'}), (ph:Phone {hash: 'phone-1'}),
       (a:Address {hash: 'addr-benign', benign: true}), (ip:IP {hash: 'ip-1'}),
       (s1)-[:USED_DEVICE]->(d), (s2)-[:USED_DEVICE]->(d),
       (s2)-[:HAS_PHONE]->(ph), (s3)-[:HAS_PHONE]->(ph),
       (s1)-[:REGISTERED_AT]->(a), (s4)-[:REGISTERED_AT]->(a),
       (s4)-[:LOGGED_IN_FROM]->(ip), (s1)-[:LOGGED_IN_FROM]->(ip),
       (s2)-[:LOGGED_IN_FROM]->(ip), (s3)-[:LOGGED_IN_FROM]->(ip),
       (p:Product {product_id: 'P1'}), (s4)-[:LISTS]->(p),
       (:Reviewer {reviewer_id: 'R1'})-[:REVIEWED {rating: 5}]->(p),
       (:Reviewer {reviewer_id: 'R2'})-[:REVIEWED {rating: 4}]->(p)
