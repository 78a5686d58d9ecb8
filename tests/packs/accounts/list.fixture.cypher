// Two sellers and two reviewers; ids of any form (no prefixes), a product is no account.
// 'A7' is both a seller's and a reviewer's id: one row per node, the kind from the label.
CREATE (:Seller {seller_id: 'A7'}), (:Seller {seller_id: 'acme-1'}),
       (:Reviewer {reviewer_id: 'A7'}), (:Reviewer {reviewer_id: '42'}),
       (:Product {product_id: 'P1'})
