"""Helpers shared by the tests: the seed article's replication, and generated releases."""
