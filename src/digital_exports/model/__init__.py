"""Interval arithmetic and what it implies: reconciliation, derivation, checks, currency
conversion, vintages."""
