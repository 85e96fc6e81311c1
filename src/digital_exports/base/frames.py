"""Small helpers on pandas tables shared by every stage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd


def each_row(table: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``table`` as named tuples, without the index.

    Typed ``Any``: pandas-stubs types every cell as any scalar, while the columns of the
    processed tables are known (their schemas say which are text and which are numbers).
    """
    return table.itertuples(index=False)
