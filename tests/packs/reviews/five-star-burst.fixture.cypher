// params: {min_reviews: 3, window_hours: 24, min_share: 0.5}
// P1 (seller S1): four 5-star reviews in one day out of five (found). P2: three 5-star
// reviews in a day out of ten (share 0.3, skipped).
CREATE (s:Seller {seller_id: 'S1'})-[:LISTS]->(:Product {product_id: 'P1'}),
       (:Product {product_id: 'P2'});
UNWIND [
  ['R1', 'P1', 5, '2024-01-01T01:00:00Z'], ['R2', 'P1', 5, '2024-01-01T02:00:00Z'],
  ['R3', 'P1', 5, '2024-01-01T03:00:00Z'], ['R4', 'P1', 5, '2024-01-01T04:00:00Z'],
  ['R5', 'P1', 2, '2024-02-01T04:00:00Z'],
  ['R1', 'P2', 5, '2024-01-01T01:00:00Z'], ['R2', 'P2', 5, '2024-01-01T02:00:00Z'],
  ['R3', 'P2', 5, '2024-01-01T03:00:00Z'], ['R4', 'P2', 4, '2024-03-01T04:00:00Z'],
  ['R5', 'P2', 4, '2024-03-02T04:00:00Z'], ['R6', 'P2', 4, '2024-03-03T04:00:00Z'],
  ['R7', 'P2', 4, '2024-03-04T04:00:00Z'], ['R8', 'P2', 3, '2024-03-05T04:00:00Z'],
  ['R9', 'P2', 3, '2024-03-06T04:00:00Z'], ['R10', 'P2', 3, '2024-03-07T04:00:00Z']
] AS row
MERGE (r:Reviewer {reviewer_id: row[0]})
WITH r, row
MATCH (p:Product {product_id: row[1]})
CREATE (r)-[:REVIEWED {review_id: row[0] + row[1], rating: row[2], ts: datetime(row[3])}]->(p)
