// params: {account_ids: [S1, S2, R1, NOPE, X9]}
// Two sellers (one closed, with brands) and a reviewer; an unknown id is skipped.
CREATE (s1:Seller {seller_id: 'S1', status: 'closed', registered_at: datetime('2023-01-01T00:00:00Z'), closed_at: datetime('2024-01-01T00:00:00Z'), reason: 'counterfeit'}),
       (:Seller {seller_id: 'S2', status: 'active', registered_at: datetime('2024-02-01T00:00:00Z')}),
       (:Reviewer {reviewer_id: 'R1', status: 'active', joined_at: datetime('2022-05-01T00:00:00Z')}),
       (s1)-[:SELLS]->(:Brand {brand_id: 'B2'}), (s1)-[:SELLS]->(:Brand {brand_id: 'B1'})
;
// An id that names a seller and a reviewer (each label has its own key) gives two rows.
CREATE (:Seller {seller_id: 'X9', status: 'active'}), (:Reviewer {reviewer_id: 'X9', status: 'closed'})
