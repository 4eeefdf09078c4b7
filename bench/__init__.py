"""The benchmark and the load test (bench/README.md)."""
