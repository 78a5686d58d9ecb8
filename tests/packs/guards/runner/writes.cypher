// ---
// id: runner.writes
// title: A query that tries to write (must fail under the runner)
// description: Proves canned queries run in READ transactions.
// category: test
// severity: info
// output: table
// ---
CREATE (s:Seller {seller_id: 'INJECTED'}) RETURN s.seller_id AS seller_id
