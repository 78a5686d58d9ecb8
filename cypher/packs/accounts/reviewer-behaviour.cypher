// ---
// id: accounts.reviewer-behaviour
// title: Behaviour features of every reviewer (SpEagle's reviewer priors)
// description: >
//   One row per reviewer with reviews: the behavioural features of Rayana & Akoglu (KDD
//   2015) that need no review text. `n_reviews`; `first_day`, `last_day` (days since 1970);
//   `max_per_day` (MNR); `positive_ratio` (4-5 stars, PR), `negative_ratio` (1-2, NR),
//   `extreme_ratio` (1 or 5); `mean_deviation` (avgRD: mean |rating - the product consensus|)
//   and `weighted_deviation` (WRD: the same weighted by 1/rank^1.5, so early reviews count
//   more). The consensus is the mean rating of the product's other regular reviewers (two or
//   more reviews in the graph) when at least `min_product_reviews` - 1 of them reviewed it,
//   else of all its other reviewers when it has at least `min_product_reviews` reviews, else
//   none: a crowd of one-review accounts cannot set the consensus it is measured against.
//   `earliest_rank_share` (the review's rank among the product's reviews, by day, over the
//   product's review count; the smallest); `early_time` (ETF: 1 - days since the product's first review /
//   `early_window_days`, at least 0; the largest); `rating_entropy` (ERD) and `gap_entropy`
//   (ETG: entropy of the gaps between review days in log2 bins). One pass per product, then
//   one aggregation per reviewer: the cost grows with the number of reviews.
//   Example: graphkit query run accounts.reviewer-behaviour --param early_window_days=210
// category: accounts
// severity: info
// precision: unmeasured
// params:
//   min_product_reviews: {type: int, default: 3, min: 2, max: 100000, description: reviews a product needs for a consensus}
//   early_window_days: {type: int, default: 210, min: 1, max: 36500, description: days after a product's first review that count as early (SpEagle uses 7 months)}
// output: table
// timeout_s: 1800
// max_rows: 20000000
// tags: [accounts, reviewer, speagle]
// references: [https://www.andrew.cmu.edu/user/lakoglu/pubs/15-kdd-collectiveopinionspam.pdf]
// ---
MATCH (p:Product)
// One walk over a product's reviews by day: its size, its star total, its first day and,
// for each day, how many reviews came before it (the rank of that day's reviews - 1).
// Also the count and star total of its reviews by regulars (reviewers with 2+ reviews).
CALL (p) {
  MATCH (p)<-[rv:REVIEWED]-(who:Reviewer)
  WITH rv, COUNT { (who)-[:REVIEWED]->() } >= 2 AS regular
  WITH rv.ts.epochSeconds / 86400 AS day, count(*) AS on_day, sum(rv.rating) AS stars,
       sum(CASE WHEN regular THEN 1 ELSE 0 END) AS regulars,
       sum(CASE WHEN regular THEN rv.rating ELSE 0 END) AS regular_stars
  ORDER BY day
  WITH collect(day) AS days, collect(on_day) AS counts, sum(on_day) AS n, sum(stars) AS total,
       sum(regulars) AS n_regular, sum(regular_stars) AS regular_total
  RETURN n, total, n_regular, regular_total, days[0] AS first_day,
         apoc.map.fromLists([day IN days | toString(day)],
                            reduce(before = [0], c IN counts | before + (before[-1] + c))[..-1])
           AS before
}
MATCH (p)<-[rv:REVIEWED]-(r:Reviewer)
WITH r, rv.rating AS rating, rv.ts.epochSeconds / 86400 AS day, n, total, first_day, before,
     CASE WHEN COUNT { (r)-[:REVIEWED]->() } >= 2 THEN 1 ELSE 0 END AS regular,
     n_regular, regular_total
WITH r, rating, day, n, first_day, before[toString(day)] + 1 AS rank,
     CASE WHEN n_regular - regular >= $min_product_reviews - 1
          THEN abs(rating - toFloat(regular_total - regular * rating) / (n_regular - regular))
          WHEN n >= $min_product_reviews
          THEN abs(rating - toFloat(total - rating) / (n - 1)) END AS deviation
WITH r, rating, day, toFloat(rank) / n AS rank_share, deviation,
     CASE WHEN deviation IS NULL THEN null ELSE 1.0 / rank ^ 1.5 END AS weight,
     1.0 - toFloat(day - first_day) / $early_window_days AS early
WITH r, count(*) AS n_reviews, apoc.coll.sort(collect(day)) AS days,
     collect(rating) AS ratings, avg(deviation) AS mean_deviation,
     sum(deviation * weight) AS weighted_sum, sum(weight) AS weights,
     min(rank_share) AS earliest_rank_share, max(early) AS early_time
WITH r, n_reviews, days, ratings, mean_deviation, weighted_sum, weights,
     earliest_rank_share, early_time,
     [i IN range(1, size(days) - 1) |
       CASE days[i] - days[i - 1] WHEN 0 THEN 0
       ELSE toInteger(floor(log(days[i] - days[i - 1]) / log(2))) + 1 END] AS gap_bins
RETURN r.reviewer_id AS reviewer_id, n_reviews,
       days[0] AS first_day, days[-1] AS last_day,
       reduce(most = 0, f IN apoc.coll.frequencies(days) |
         CASE WHEN f.count > most THEN f.count ELSE most END) AS max_per_day,
       toFloat(size([x IN ratings WHERE x >= 4])) / n_reviews AS positive_ratio,
       toFloat(size([x IN ratings WHERE x <= 2])) / n_reviews AS negative_ratio,
       toFloat(size([x IN ratings WHERE x IN [1, 5]])) / n_reviews AS extreme_ratio,
       mean_deviation,
       CASE WHEN weights > 0 THEN weighted_sum / weights END AS weighted_deviation,
       earliest_rank_share,
       CASE WHEN early_time > 0 THEN early_time ELSE 0.0 END AS early_time,
       reduce(h = 0.0, f IN apoc.coll.frequencies(ratings) |
         h - toFloat(f.count) / n_reviews * log(toFloat(f.count) / n_reviews)) AS rating_entropy,
       reduce(h = 0.0, f IN apoc.coll.frequencies(gap_bins) |
         h - toFloat(f.count) / size(gap_bins) * log(toFloat(f.count) / size(gap_bins)))
         AS gap_entropy
ORDER BY reviewer_id
