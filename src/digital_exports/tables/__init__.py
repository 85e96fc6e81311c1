"""The processed tables: built from the validated releases, written atomically, read back typed."""
