// ---
// id: reviews.rating-deviation
// title: Reviewers whose ratings deviate from the product consensus
// description: >
//   Each row is a reviewer whose ratings differ from the other reviewers' average on the
//   same products by at least `min_deviation` stars on average (signed: positive means
//   inflating). Paid reviewers give 5 stars to mediocre products. Pass `reviewer_ids` to
//   score a group (the ring sweep averages this over a ring's reviewers); empty means all.
//   Example: graphkit query run reviews.rating-deviation --param reviewer_ids=R0000001,R0000002
// category: reviews
// severity: medium
// precision: low
// params:
//   reviewer_ids: {type: list, default: [], description: reviewers to score (empty = all)}
//   min_reviews: {type: int, default: 3, min: 1, max: 100000, description: reviews per reviewer}
//   min_deviation: {type: float, default: 1.0, min: 0.0, max: 4.0, description: absolute mean deviation in stars}
//   min_product_reviews: {type: int, default: 3, min: 2, max: 100000, description: reviews a product needs for a consensus}
// output: table
// timeout_s: 60
// max_rows: 1000000
// tags: [reviews, reviewer]
// references: []
// ---
MATCH (r:Reviewer)-[:REVIEWED]->(p:Product)
WHERE $reviewer_ids = [] OR r.reviewer_id IN $reviewer_ids
WITH collect(DISTINCT r) AS chosen, collect(DISTINCT p) AS products
UNWIND products AS p
// One walk over each product's reviews gives the consensus and the chosen reviewers' ratings.
CALL (p, chosen) {
  MATCH (p)<-[rv:REVIEWED]-(r)
  WITH collect(CASE WHEN r IN chosen THEN [r, rv.rating] END) AS ratings,
       sum(rv.rating) AS total, count(rv) AS n
  WHERE n >= $min_product_reviews
  UNWIND ratings AS rating
  RETURN rating[0] AS r, rating[1] - toFloat(total - rating[1]) / (n - 1) AS delta
}
WITH r, avg(delta) AS deviation, count(*) AS n_reviews
WHERE n_reviews >= $min_reviews AND abs(deviation) >= $min_deviation
RETURN r.reviewer_id AS reviewer_id, n_reviews, round(deviation, 3) AS deviation
ORDER BY deviation DESC, reviewer_id
