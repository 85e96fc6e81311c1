"""The reports: offline HTML with provenance, the index, what changed, stale reports."""
