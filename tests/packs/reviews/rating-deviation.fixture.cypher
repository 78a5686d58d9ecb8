// params: {min_reviews: 2, min_deviation: 1.0, min_product_reviews: 3}
// Honest reviewers H1-H3 give P1 and P2 two stars; R1 gives both five (deviation +3, found).
UNWIND [
  ['H1', 'P1', 2], ['H2', 'P1', 2], ['H3', 'P1', 2], ['R1', 'P1', 5],
  ['H1', 'P2', 2], ['H2', 'P2', 3], ['H3', 'P2', 1], ['R1', 'P2', 5]
] AS row
MERGE (r:Reviewer {reviewer_id: row[0]})
MERGE (p:Product {product_id: row[1]})
CREATE (r)-[:REVIEWED {review_id: row[0] + row[1], rating: row[2], ts: datetime('2024-01-01T00:00:00Z')}]->(p)
