"""graphkit: find linked fake-account rings in online marketplaces with Neo4j.

The data flows one way: source feeds -> ``graphkit.ingest`` -> Neo4j ->
``graphkit.packs`` (canned Cypher) -> ``graphkit.analysis`` (rings, scores) ->
``graphkit.viz`` (pyvis case files).
"""

__version__ = "0.1.0"
