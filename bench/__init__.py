"""The health-data benchmark: `make bench` (python -m bench.run)."""
