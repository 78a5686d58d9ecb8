// Weighted Leiden communities, every level from the finest (first) to the final one.
CALL gds.leiden.stream($graph, {relationshipWeightProperty: 'weight', gamma: $gamma,
                                includeIntermediateCommunities: true, randomSeed: $seed,
                                concurrency: 1, maxLevels: $max_levels})
YIELD nodeId, intermediateCommunityIds
RETURN nodeId, intermediateCommunityIds AS levels
