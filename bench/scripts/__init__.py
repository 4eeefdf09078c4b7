"""`make bench` and `make loadtest`, run as `python -m bench.scripts.<name>` from the
project folder."""
