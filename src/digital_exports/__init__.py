"""Replication package for Morocco's exports of digital and outsourcing services.

One-way flow: raw releases (``data/raw/``) -> printed figures -> series, conflicts and checks ->
analyses and charts -> reports. Lower modules never import higher ones.
"""

__version__ = "0.1.0"
