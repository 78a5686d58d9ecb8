// Components over the relationships whose `strong` weight exceeds $threshold.
CALL gds.wcc.stream($graph, {relationshipWeightProperty: 'strong', threshold: $threshold,
                             concurrency: $concurrency})
YIELD nodeId, componentId
RETURN nodeId, componentId
