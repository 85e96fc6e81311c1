"""The raw-release contract: vocabularies, periods, the grammar of printed units, qualifiers
and numbers, and the validation of releases."""
