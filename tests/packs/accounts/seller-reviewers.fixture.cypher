// params: {reviewer_ids: ['R1', 'R3']}
// S1 lists P1 and P2; R1 reviewed both (counted once), R2 (not asked) reviewed P1.
// R3 reviewed S2's P3. S3 has no asked reviewer (no row).
CREATE (s1:Seller {seller_id: 'S1'}), (s2:Seller {seller_id: 'S2'}), (s3:Seller {seller_id: 'S3'}),
       (p1:Product {product_id: 'P1'}), (p2:Product {product_id: 'P2'}),
       (p3:Product {product_id: 'P3'}), (p4:Product {product_id: 'P4'}),
       (s1)-[:LISTS]->(p1), (s1)-[:LISTS]->(p2), (s2)-[:LISTS]->(p3), (s3)-[:LISTS]->(p4),
       (r1:Reviewer {reviewer_id: 'R1'}), (r2:Reviewer {reviewer_id: 'R2'}),
       (r3:Reviewer {reviewer_id: 'R3'}),
       (r1)-[:REVIEWED]->(p1), (r1)-[:REVIEWED]->(p2), (r2)-[:REVIEWED]->(p1),
       (r3)-[:REVIEWED]->(p3), (r2)-[:REVIEWED]->(p4)
