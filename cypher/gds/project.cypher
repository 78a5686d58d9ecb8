// An in-memory GDS graph from a list of weighted pairs [source, target, weight, strong]
// (integer node ids; undirected). Nothing is written to the database.
UNWIND $edges AS e
WITH gds.graph.project($graph, e[0], e[1],
       {relationshipProperties: {weight: e[2], strong: e[3]}},
       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
