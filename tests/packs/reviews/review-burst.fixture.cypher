// params: {min_reviews: 4, window_hours: 72}
// P1 (seller S1, listed 2024-01-01): one review a month, then five 5-star reviews within a
// day in June (a burst far above its pace). P2 (seller S2): a launch crowd of four mixed
// reviews on its listing day (3, 4, 5, 2 stars: L2 and L3 praise it, at min_praise 4).
// P3: three reviews in a window (under min_reviews). P4 (seller S1): five 5-star reviews
// across a slot boundary (2024-06-04T00:00Z): the window from the slot before holds all
// five, the one from the slot after four (alternatives: keep one).
CREATE (s1:Seller {seller_id: 'S1'})-[:LISTS]->(p1:Product {product_id: 'P1', listed_at: datetime('2024-01-01T00:00:00Z')}),
       (s2:Seller {seller_id: 'S2'})-[:LISTS]->(p2:Product {product_id: 'P2', listed_at: datetime('2024-02-10T00:00:00Z')}),
       (p3:Product {product_id: 'P3', listed_at: datetime('2024-01-01T00:00:00Z')}),
       (s1)-[:LISTS]->(p4:Product {product_id: 'P4', listed_at: datetime('2024-01-01T00:00:00Z')})
WITH p1, p2, p3, p4
UNWIND range(1, 5) AS i
CREATE (:Reviewer {reviewer_id: 'X' + i})-[:REVIEWED {review_id: 'VX' + i, rating: 5, ts: datetime('2024-06-03T20:00:00Z') + duration({hours: 2 * i})}]->(p4)
WITH DISTINCT p1, p2, p3
UNWIND range(1, 10) AS m
CREATE (:Reviewer {reviewer_id: 'M' + m})-[:REVIEWED {review_id: 'VM' + m, rating: 4, ts: datetime({year: 2024, month: m, day: 15})}]->(p1)
WITH DISTINCT p1, p2, p3
UNWIND range(1, 5) AS i
CREATE (:Reviewer {reviewer_id: 'B' + i})-[:REVIEWED {review_id: 'VB' + i, rating: 5, ts: datetime('2024-06-03T08:00:00Z') + duration({hours: 3 * i})}]->(p1)
WITH DISTINCT p2, p3
UNWIND range(1, 4) AS i
CREATE (:Reviewer {reviewer_id: 'L' + i})-[:REVIEWED {review_id: 'VL' + i, rating: 2 + i % 4, ts: datetime('2024-02-10T09:00:00Z') + duration({hours: i})}]->(p2)
WITH DISTINCT p3
UNWIND range(1, 3) AS i
CREATE (:Reviewer {reviewer_id: 'T' + i})-[:REVIEWED {review_id: 'VT' + i, rating: 5, ts: datetime('2024-03-01T09:00:00Z') + duration({hours: i})}]->(p3)
