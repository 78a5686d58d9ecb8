// ---
// id: runner.many
// title: More rows than max_rows
// description: Returns 100 rows; the runner must stop at 10 and flag truncation.
// category: test
// severity: info
// params:
//   n: {type: int, default: 100, min: 1, max: 1000}
// output: table
// max_rows: 10
// ---
UNWIND range(1, $n) AS x
RETURN x
