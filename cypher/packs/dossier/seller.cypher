// ---
// id: dossier.seller
// title: Everything around one seller (investigation subgraph)
// description: >
//   The seller, its identifiers, brands, products, contacted reviewers, and what those
//   connect to, up to `hops` hops. Expansion is bounded for speed: at most
//   `max_per_node` neighbours per node, and benign identifiers or nodes with more than
//   `max_identifier_degree` relationships (hubs: big brands, popular products, carrier
//   IPs) are shown but not expanded.
//   History: retired links are part of the dossier (an email or address the seller held
//   before, with `valid_from`/`valid_to` on the link), as are deleted accounts.
//   Example: graphkit query run dossier.seller --param seller_id=S000123 --param hops=3
// category: dossier
// severity: info
// precision: unmeasured
// params:
//   seller_id: {type: str, default: '', description: the seller to centre on}
//   hops: {type: int, default: 2, min: 1, max: 3, description: how far to expand}
//   max_per_node: {type: int, default: 50, min: 1, max: 1000, description: neighbours kept per node}
//   max_identifier_degree: {type: int, default: 50, min: 2, max: 10000, description: do not expand nodes with more relationships}
// history: true
// output: subgraph
// timeout_s: 5
// max_rows: 1
// max_estimated_rows: 10000000
// tags: [dossier, seller]
// references: []
// ---
MATCH (s:Seller {seller_id: $seller_id})
OPTIONAL CALL (s) {
  MATCH (s)-[r]-()
  WITH r LIMIT $max_per_node
  RETURN collect(r) AS hop1
}
WITH s, hop1, [r IN hop1 | endNode(r)] + [r IN hop1 | startNode(r)] AS near
OPTIONAL CALL (s, near) {
  UNWIND near AS n
  WITH DISTINCT n
  WHERE $hops >= 2 AND n <> s AND NOT coalesce(n.benign, false)
    AND COUNT { (n)--() } <= $max_identifier_degree
  CALL (n) {
    MATCH (n)-[r]-()
    WITH r LIMIT $max_per_node
    RETURN collect(r) AS rels
  }
  UNWIND rels AS r
  RETURN collect(DISTINCT r) AS hop2
}
WITH s, hop1, hop2, near, [r IN hop2 | endNode(r)] + [r IN hop2 | startNode(r)] AS far
OPTIONAL CALL (near, far) {
  UNWIND far AS n
  WITH DISTINCT n
  WHERE $hops >= 3 AND NOT n IN near AND NOT coalesce(n.benign, false)
    AND COUNT { (n)--() } <= $max_identifier_degree
  CALL (n) {
    MATCH (n)-[r]-()
    WITH r LIMIT $max_per_node
    RETURN collect(r) AS rels
  }
  UNWIND rels AS r
  RETURN collect(DISTINCT r) AS hop3
}
WITH s, hop1, hop2, hop3, near + far + [r IN hop3 | startNode(r)] + [r IN hop3 | endNode(r)] AS ends
UNWIND ends AS n
RETURN s, hop1, hop2, hop3, collect(DISTINCT n) AS nodes
