// ---
// id: runner.big
// title: A result held in transaction memory
// description: Collects n strings into one list; 200M of them exceed the transaction memory
//   of a 2g-heap server.
// category: test
// severity: info
// params:
//   n: {type: int, default: 1000, min: 1, max: 1000000000}
// output: table
// ---
UNWIND range(1, $n) AS x
WITH collect(toString(x)) AS xs
RETURN size(xs) AS n
