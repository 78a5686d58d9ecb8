"""graphkit's benchmark suite: `python -m bench --scale seed` (see bench/README in __main__)."""
