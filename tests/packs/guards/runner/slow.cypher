// ---
// id: runner.slow
// title: A query far slower than its timeout
// description: A large cartesian product with a 0.5 s timeout.
// category: test
// severity: info
// output: table
// timeout_s: 0.5
// ---
UNWIND range(1, 20000) AS a
UNWIND range(1, 20000) AS b
WITH a, b WHERE (a * b) % 1000003 = 1
RETURN count(*) AS n
