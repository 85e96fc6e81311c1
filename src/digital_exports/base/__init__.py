"""Utilities every stage may use: digests, paths, git state, the run lock, table rows."""
