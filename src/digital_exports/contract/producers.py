"""Who produced a figure: one normalised key per organisation, shared by the release contract
(a release may revise only figures of its own producer) and the reconciliation."""

from __future__ import annotations


def producer_key(producer: str, release_id: str) -> str:
    """The organisation a ``producer`` text names, for telling producers apart: the text before
    any bracket or comma, in lower case (``Office des Changes (monthly indicators)`` ->
    ``office des changes``). An unnamed producer is its own release's."""
    key = producer.split("(")[0].split(",")[0].strip().lower()
    return release_id if key in ("", "not stated", "unknown") else key
