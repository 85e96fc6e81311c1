"""The analyses behind the notebooks, the words and numbers for readers, and the charts."""
