"""Per-family benchmark definitions; one module per family (see benchmarks/README.md)."""
