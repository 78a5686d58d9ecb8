// params: {min_products: 3, window_hours: 24, max_window_reviewers: 3}
// R1,R2,R3 review P1,P2,P3 within hours of each other (three pairs found); R2/R3 on P3
// straddle a window boundary (caught by the shifted windows). R4 reviews the same products
// weeks apart (no pair). On P4, R1 and R2 review among a crowd of four (over
// max_window_reviewers): not counted, so R1/R2 still share 3 products, not 4. R8 and R9
// review P5 and P6 at one sale and P7 a month later: 3 products, but they met twice.
UNWIND [
  ['R1', 'P1', '2024-01-01T10:00:00Z'], ['R2', 'P1', '2024-01-01T11:00:00Z'], ['R3', 'P1', '2024-01-01T12:00:00Z'],
  ['R1', 'P2', '2024-01-05T10:00:00Z'], ['R2', 'P2', '2024-01-05T12:00:00Z'], ['R3', 'P2', '2024-01-05T13:00:00Z'],
  ['R1', 'P3', '2024-01-09T23:00:00Z'], ['R2', 'P3', '2024-01-09T23:30:00Z'], ['R3', 'P3', '2024-01-10T01:00:00Z'],
  ['R4', 'P1', '2024-02-01T10:00:00Z'], ['R4', 'P2', '2024-03-01T10:00:00Z'], ['R4', 'P3', '2024-04-01T10:00:00Z'],
  ['R8', 'P5', '2024-05-01T10:00:00Z'], ['R9', 'P5', '2024-05-01T11:00:00Z'], ['R8', 'P6', '2024-05-01T10:30:00Z'],
  ['R9', 'P6', '2024-05-01T12:00:00Z'], ['R8', 'P7', '2024-06-01T10:00:00Z'], ['R9', 'P7', '2024-06-01T15:00:00Z'],
  ['R1', 'P4', '2024-01-20T10:00:00Z'], ['R2', 'P4', '2024-01-20T10:10:00Z'], ['R6', 'P4', '2024-01-20T10:20:00Z'], ['R7', 'P4', '2024-01-20T10:30:00Z']
] AS row
MERGE (r:Reviewer {reviewer_id: row[0]})
MERGE (p:Product {product_id: row[1]})
CREATE (r)-[:REVIEWED {review_id: row[0] + row[1], rating: 5, ts: datetime(row[2])}]->(p)
