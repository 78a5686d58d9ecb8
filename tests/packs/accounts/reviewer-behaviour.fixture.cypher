// params: {min_product_reviews: 3, early_window_days: 210}
// P1: H1 and H2 give 2 stars on day 0, H3 2 stars and X 5 stars on day 9 (ranks 1, 1, 3, 3).
// P2: H1 3 stars on day 1, X 5 stars on day 9, H2 3 stars on day 400.
// X posts both its 5-star reviews on one day: max_per_day 2, span 0, deviations 3 and 2.
// P3 has two reviews (H3, Y): under min_product_reviews, so no deviation for Y.
// P4: regulars R1 and R2 (each also on P5) give 3 stars, one-review S1-S3 give 5 (day 121):
// S1's consensus is the two regulars' (3: deviation 2, not 1 as all four others would say);
// R1 has one other regular there, too few, so its consensus is everyone else's (4.5: 1.5).
// P5 has two reviews: no deviation.
UNWIND [
  ['H1', 'P1', 2, '2024-01-01'], ['H2', 'P1', 2, '2024-01-01'], ['H3', 'P1', 2, '2024-01-10'],
  ['X', 'P1', 5, '2024-01-10'], ['H1', 'P2', 3, '2024-01-02'], ['X', 'P2', 5, '2024-01-10'],
  ['H2', 'P2', 3, '2025-02-05'], ['H3', 'P3', 4, '2024-03-01'], ['Y', 'P3', 1, '2024-03-01'],
  ['R1', 'P4', 3, '2024-05-01'], ['R2', 'P4', 3, '2024-05-01'], ['S1', 'P4', 5, '2024-05-01'],
  ['S2', 'P4', 5, '2024-05-01'], ['S3', 'P4', 5, '2024-05-01'], ['R1', 'P5', 3, '2024-05-02'],
  ['R2', 'P5', 3, '2024-05-02']
] AS row
MERGE (r:Reviewer {reviewer_id: row[0]})
MERGE (p:Product {product_id: row[1]})
CREATE (r)-[:REVIEWED {review_id: row[0] + row[1], rating: row[2],
                       ts: datetime(row[3] + 'T12:00:00Z')}]->(p)
