"""Benchmarks (``make bench``) and the production stack the reader-experience budget tests use."""
