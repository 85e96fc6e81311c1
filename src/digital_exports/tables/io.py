"""The one typed reader and writer of the processed tables, driven by their schemas.

:func:`encode_table` validates a frame against its declared schema (columns, types, allowed
values, required cells, open bounds, primary key) and gives the CSV bytes; :func:`read_table` and
:func:`read_records` parse those bytes back, validating them the same way, into a frame with the
declared dtypes or into typed rows (the latter without pandas, for the index page). Errors are
:class:`SchemaError`, naming the file, line, column, what was found and what was expected.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digital_exports.tables.schemas import Field, Resource, resource_for

if TYPE_CHECKING:
    import pandas as pd

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SchemaError(ValueError):
    """A table that does not match its declared schema."""

    def __init__(self, where: str, line: int | None, field: str | None, found: str, expected: str):
        self.where, self.line, self.field = where, line, field
        self.found, self.expected = found, expected
        place = where + (f", line {line}" if line is not None else "")
        place += f", column {field}" if field else ""
        super().__init__(f"{place}: found {found}; expected {expected}")


# --------------------------------------------------------------------------- cells


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


#: What a spreadsheet reads as a formula at the start of a cell (OWASP's list for CSV
#: injection), and the quote that keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_QUOTE = "'"


def guard_text(v: str) -> str:
    """A text cell as a spreadsheet must read it: text, never a formula. A cell that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with the quote itself, is written
    behind a single quote (``'=cmd``), which Excel and LibreOffice show as text and
    :func:`unguard_text` removes; any other cell is written as it is."""
    return TEXT_QUOTE + v if v.startswith((*FORMULA_STARTS, TEXT_QUOTE)) else v


def unguard_text(s: str) -> str:
    """The text :func:`guard_text` wrote."""
    return s[1:] if s.startswith(TEXT_QUOTE) else s


def _encode_cell(f: Field, v: Any, has_interval: bool) -> str:
    """One cell as text, or raise ValueError saying what was expected."""
    if f.type in ("string", "date"):
        if _is_missing(v) or v == "":
            if f.required:
                raise ValueError("a value (the column is required)")
            return ""
        if not isinstance(v, str):
            raise ValueError(f"text ({f.type})")
        if f.type == "date" and not _DATE.fullmatch(v):
            raise ValueError("an ISO date YYYY-MM-DD")
        if f.enum and v not in f.enum:
            raise ValueError(f"one of {', '.join(f.enum)}")
        return guard_text(v)
    if f.type == "boolean":
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return "true" if v else "false"
        raise ValueError("a boolean")
    if f.type == "integer":
        if isinstance(v, bool) or _is_missing(v):
            raise ValueError("an integer")
        if isinstance(v, float) and not v.is_integer():
            raise ValueError("an integer")
        try:
            return str(int(v))
        except (TypeError, ValueError):
            raise ValueError("an integer") from None
    # number
    if isinstance(v, (bool, str)):
        raise ValueError("a number")
    if _is_missing(v):
        if f.required or (f.open_bound is not None and has_interval):
            raise ValueError("a number (an open bound is infinite, not missing)")
        return ""
    x = float(v)
    if math.isinf(x):
        expected_sign = {"low": -1, "high": 1}.get(f.open_bound or "", 0)
        if expected_sign == 0 or (x > 0) != (expected_sign > 0) or not has_interval:
            raise ValueError("a finite number")
        return ""
    return repr(x)


def _decoder(f: Field) -> Callable[[str, bool], Any]:
    """A function (cell text, has_interval) -> typed value, raising ValueError."""
    if f.type in ("string", "date"):

        def text(s: str, _h: bool) -> str:
            if s == "":
                if f.required:
                    raise ValueError("a value (the column is required)")
                return s
            s = unguard_text(s)
            if f.type == "date" and not _DATE.fullmatch(s):
                raise ValueError("an ISO date YYYY-MM-DD")
            if f.enum and s not in f.enum:
                raise ValueError(f"one of {', '.join(f.enum)}")
            return s

        return text
    if f.type == "boolean":

        def boolean(s: str, _h: bool) -> bool:
            if s not in ("true", "false"):
                raise ValueError("true or false")
            return s == "true"

        return boolean
    if f.type == "integer":

        def integer(s: str, _h: bool) -> int:
            if not re.fullmatch(r"-?\d+", s):
                raise ValueError("an integer")
            return int(s)

        return integer
    infinity = -math.inf if f.open_bound == "low" else math.inf

    def number(s: str, has_interval: bool) -> float:
        if s == "":
            if f.required:
                raise ValueError("a number (the column is required)")
            return infinity if f.open_bound is not None and has_interval else math.nan
        try:
            x = float(s)
        except ValueError:
            raise ValueError("a number") from None
        if not math.isfinite(x):  # "inf", "nan" and their spellings: never written
            raise ValueError("a finite number or an empty cell")
        return x

    return number


def _has_interval(f: Field, row: dict[str, Any]) -> bool:
    if f.open_if is None:
        return True
    v = row.get(f.open_if)
    return not (_is_missing(v) or v == "")


# --------------------------------------------------------------------------- write


def encode_table(name: str, table: pd.DataFrame) -> bytes:
    """The CSV bytes of ``table`` as its schema encodes it, after validating it.

    Args:
        name: the table's file name (``series.csv``).
        table: a frame with exactly the declared columns, in the declared order.

    Raises:
        SchemaError: an undeclared or missing column, a cell of the wrong type or outside its
            allowed values, a missing required cell, a NaN bound, a duplicate primary key.
    """
    resource = resource_for(name)
    _check_header(name, list(table.columns), resource)
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in table.to_dict("records")
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(resource.columns)
    for i, row in enumerate(records, start=2):
        cells = []
        for f in resource.fields:
            try:
                cells.append(_encode_cell(f, row[f.name], _has_interval(f, row)))
            except ValueError as e:
                raise SchemaError(name, i, f.name, repr(row[f.name]), str(e)) from None
        writer.writerow(cells)
    _check_key(name, resource, ([row[k] for k in resource.primary_key] for row in records))
    return buffer.getvalue().encode("utf-8")


def empty_table(name: str) -> pd.DataFrame:
    """A frame with no rows and the declared columns and dtypes of ``name``."""
    import pandas as pd

    resource = resource_for(name)
    return pd.DataFrame({f.name: pd.Series([], dtype=f.dtype) for f in resource.fields})


def _check_header(where: str, header: list[str], resource: Resource) -> None:
    expected = list(resource.columns)
    if header == expected:
        return
    extra = [c for c in header if c not in expected]
    missing = [c for c in expected if c not in header]
    if extra:
        found = f"undeclared column(s) {', '.join(extra)}"
    elif missing:
        found = f"no column(s) {', '.join(missing)}"
    else:
        found = f"the columns in the order {','.join(header)}"
    raise SchemaError(where, 1, None, found, f"the declared columns {','.join(expected)}")


def _check_key(where: str, resource: Resource, keys: Iterable[list[Any]]) -> None:
    seen: dict[tuple, int] = {}
    for line, key in enumerate(keys, start=2):
        k = tuple(key)
        if k in seen:
            raise SchemaError(
                where,
                line,
                ",".join(resource.primary_key),
                f"the key {k!r} again (first on line {seen[k]})",
                "a unique primary key",
            )
        seen[k] = line


# --------------------------------------------------------------------------- read


#: A table's file (a path, as ``Path`` or text) or its bytes.
Source = os.PathLike[str] | str | bytes


def _parse(source: Source, name: str | None) -> tuple[Resource, dict[str, list[Any]]]:
    """Validate and decode a table: its resource and its columns of typed values."""
    if not isinstance(source, bytes):
        source = Path(source)
        where = str(source)
        data = source.read_bytes()
        resource = resource_for(name or source.name)
    else:
        if name is None:
            raise TypeError("a table given as bytes needs its name")
        where, data, resource = name, source, resource_for(name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SchemaError(where, None, None, f"bytes that are not UTF-8 ({e})", "UTF-8") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        raise SchemaError(where, 1, None, "an empty file", "a header line")
    _check_header(where, header, resource)
    decoders = [(f, _decoder(f)) for f in resource.fields]
    columns: dict[str, list[Any]] = {f.name: [] for f in resource.fields}
    width = len(header)
    for line, cells in enumerate(rows, start=2):
        if len(cells) != width:
            raise SchemaError(where, line, None, f"{len(cells)} cells", f"{width} cells")
        row = dict(zip(header, cells, strict=True))
        for (f, decode), cell in zip(decoders, cells, strict=True):
            try:
                columns[f.name].append(decode(cell, _has_interval(f, row)))
            except ValueError as e:
                raise SchemaError(where, line, f.name, repr(cell), str(e)) from None
    keys = zip(*(columns[k] for k in resource.primary_key), strict=True)
    _check_key(where, resource, (list(k) for k in keys))
    return resource, columns


def read_table(source: Source, name: str | None = None, *, dates: bool = False) -> pd.DataFrame:
    """Read a processed table, validated against its schema, with its declared dtypes.

    Args:
        source: the file (a ``Path`` or a path as text; its name says which table it is) or
            its bytes.
        name: the table's file name; needed for bytes, else taken from the path.
        dates: return the date columns as ``datetime64`` (for your own analysis: time series,
            resampling); by default they are ISO text, which the package's code sorts and
            slices.

    Returns:
        A frame whose columns are the declared ones, in order: text as ``str`` (an empty cell
        is ``""``), numbers as ``float64`` (an empty open bound is -inf or +inf, any other empty
        number NaN), integers as ``int64``, booleans as ``bool``, dates as ISO text (or
        ``datetime64``, an empty date ``NaT``, with ``dates``).

    Raises:
        SchemaError: the file does not match the schema (file, line, column, found, expected).
    """
    import pandas as pd

    resource, columns = _parse(source, name)
    frame = pd.DataFrame(
        {f.name: pd.Series(columns[f.name], dtype=f.dtype) for f in resource.fields}
    )
    if dates:
        for f in resource.fields:
            if f.type == "date":
                frame[f.name] = pd.to_datetime(frame[f.name].replace("", None), format="ISO8601")
    return frame


def read_records(source: Source, name: str | None = None) -> list[dict[str, Any]]:
    """The same table as :func:`read_table`, as a list of typed rows, without pandas."""
    resource, columns = _parse(source, name)
    names = resource.columns
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
