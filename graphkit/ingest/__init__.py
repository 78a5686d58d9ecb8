"""Loaders: sources -> validate/normalise -> batched UNWIND MERGE into Neo4j."""
