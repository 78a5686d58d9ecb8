"""Query packs: parsing, parameter validation, the runner and result types."""
