// params: {min_shared: 2, max_brand_sellers: 3}
// S1,S2 both sell niche brands B1 and B2 (found); S3 shares only B1 with them (one brand:
// no row); B9 is sold by four sellers (over the cap, ignored).
CREATE (b1:Brand {brand_id: 'B1'}), (b2:Brand {brand_id: 'B2'}), (b9:Brand {brand_id: 'B9'}),
       (s1:Seller {seller_id: 'S1'}), (s2:Seller {seller_id: 'S2'}), (s3:Seller {seller_id: 'S3'}),
       (s4:Seller {seller_id: 'S4'}),
       (s1)-[:SELLS]->(b1), (s2)-[:SELLS]->(b1), (s3)-[:SELLS]->(b1),
       (s1)-[:SELLS]->(b2), (s2)-[:SELLS]->(b2),
       (s1)-[:SELLS]->(b9), (s2)-[:SELLS]->(b9), (s3)-[:SELLS]->(b9), (s4)-[:SELLS]->(b9)
