"""The data package of ``data/processed/``, generated from the schemas: codebook, Frictionless
descriptor and Excel workbook.

Everything here is generated from :mod:`digital_exports.tables.schemas` (and, for the workbook,
the tables read through the typed reader), so it cannot drift from the tables:

* ``data/processed/CODEBOOK.md`` and ``reports/codebook.html``: every table's grain, key and
  columns (type, unit, allowed values, what an empty cell means, description), the encoding and
  the flags of ``estimates.csv``;
* ``data/processed/datapackage.json``: the Frictionless Data Package (resources, schemas,
  licences, sources);
* ``data/processed/digital_exports.xlsx``: one sheet per table, a README sheet and the codebook,
  with the same bytes on every run (fixed zip entry dates and document timestamps).

:func:`publish` writes the four; the runner calls it once the tables, ``changes.csv`` included,
are written.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

from digital_exports.tables.io import read_records
from digital_exports.tables.outputs import atomic_write
from digital_exports.tables.schemas import FLAGS, LICENSES, RESOURCES, Field, datapackage

PACKAGE_TITLE = "Morocco's exports of digital and outsourcing services: processed tables"
CODEBOOK = "CODEBOOK.md"
DATAPACKAGE = "datapackage.json"
WORKBOOK = "digital_exports.xlsx"
CODEBOOK_HTML = "codebook.html"
#: The timestamp written into the workbook (its content never depends on when it was written).
FIXED_TIME = "2000-01-01T00:00:00Z"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

ENCODING = (
    "CSV files are UTF-8 (no byte-order mark), comma-separated, `\\n` line ends, with a header "
    "line; the column order is the order below.",
    "Numbers are written in their shortest round-trip form (`26200.0`, `1e-06`); booleans as "
    "`true`/`false`; dates as ISO 8601 (`2025-10-17`).",
    "An empty cell is a missing value, except in an interval bound (`low`, `high`, "
    "`*_low`, `*_high`): there an empty cell is an open bound (-infinity for a lower bound, "
    "+infinity for an upper bound: a print such as `plus de 14 MMDH`), unless the column named "
    "in 'empty means' is empty too (then the interval does not exist). The texts `inf`, `nan` "
    "and `None` never appear.",
    "In Excel, open `digital_exports.xlsx` (accents and Arabic text intact, numbers as numbers); "
    "Stata: `import delimited using series.csv, encoding(utf-8) varnames(1) clear`; R: "
    "`read.csv('series.csv', encoding = 'UTF-8', na.strings = '')`; pandas: "
    "`digital_exports.tables.io.read_table(path)` gives every column its declared dtype.",
)


def _allowed(f: Field) -> str:
    return ", ".join(f"`{v}`" for v in f.enum) if f.enum else ""


def codebook_markdown() -> str:
    """The codebook as Markdown (``data/processed/CODEBOOK.md``)."""
    out = [
        "# Codebook of `data/processed/`",
        "",
        "Generated from `src/digital_exports/tables/schemas.py` by the pipeline (`make all`); do "
        "not edit by hand (a test fails when this file and the schemas disagree). The same "
        "declaration validates every table on write and read, and generates `datapackage.json` "
        "(Frictionless Data Package), `digital_exports.xlsx` and `reports/codebook.html`.",
        "",
        f"Licence of the tables: {LICENSES[0]['name']} ({LICENSES[0]['path']}); the sources' own "
        "terms are in `DATA_LICENSE.md`.",
        "",
        "## Encoding",
        "",
        *(f"- {line}" for line in ENCODING),
        "",
        "## Flags of `estimates.csv`",
        "",
        "Each estimate carries flags in the Eurostat/SDMX convention, letters in this order "
        "(empty: none applies).",
        "",
        "| flag | name | meaning here |",
        "|---|---|---|",
        *(f"| `{k}` | {name} | {meaning} |" for k, (name, meaning) in FLAGS.items()),
        "",
        "## Tables",
        "",
        *(f"- [`{r.filename}`](#{r.name}): {r.title.lower()}" for r in RESOURCES.values()),
    ]
    for r in RESOURCES.values():
        out += [
            "",
            f'<a id="{r.name}"></a>',
            "",
            f"### `{r.filename}`: {r.title}",
            "",
            f"**Grain:** {r.grain}. **Primary key:** "
            + ", ".join(f"`{k}`" for k in r.primary_key)
            + f". **Written by:** {r.producer}.",
            "",
            r.description,
            "",
            "| column | type | unit | allowed values | empty means | description |",
            "|---|---|---|---|---|---|",
        ]
        for f in r.fields:
            cells = [
                f"`{f.name}`",
                f.type,
                f.unit,
                _allowed(f),
                f.missing_meaning(),
                f.description,
            ]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"


def _md_inline(text: str) -> str:
    """Escaped HTML for one line of the codebook's Markdown (backticks become ``<code>``)."""
    parts = text.split("`")
    return "".join(
        f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts)
    )


def codebook_html() -> str:
    """The codebook as a standalone HTML page (``reports/codebook.html``), every text escaped."""
    e = _md_inline
    body = [
        "<h1>Codebook of <code>data/processed/</code></h1>",
        "<p>Generated from <code>src/digital_exports/tables/schemas.py</code>; the same text is in "
        '<code>data/processed/CODEBOOK.md</code>. Files: <a href="../data/processed/'
        f'{DATAPACKAGE}">{DATAPACKAGE}</a> (Frictionless Data Package), <a href="../data/'
        f'processed/{WORKBOOK}">{WORKBOOK}</a> (every table, a README sheet and this '
        'codebook). <a href="index.html">Back to the index</a>.</p>',
        "<h2>Encoding</h2><ul>",
        *(f"<li>{e(line)}</li>" for line in ENCODING),
        "</ul><h2>Flags of <code>estimates.csv</code></h2>",
        "<table><thead><tr><th>flag</th><th>name</th><th>meaning here</th></tr></thead><tbody>",
        *(
            f"<tr><td><code>{e(k)}</code></td><td>{e(n)}</td><td>{e(m)}</td></tr>"
            for k, (n, m) in FLAGS.items()
        ),
        "</tbody></table><h2>Tables</h2><ul>",
        *(
            f'<li><a href="#{r.name}"><code>{e(r.filename)}</code></a>: {e(r.title)}</li>'
            for r in RESOURCES.values()
        ),
        "</ul>",
    ]
    for r in RESOURCES.values():
        key = ", ".join(f"<code>{html.escape(k)}</code>" for k in r.primary_key)
        body += [
            f'<h3 id="{r.name}"><code>{e(r.filename)}</code>: {e(r.title)}</h3>',
            f"<p><strong>Grain:</strong> {e(r.grain)}. <strong>Primary key:</strong> {key}. "
            f"<strong>Written by:</strong> {e(r.producer)}.</p>",
            f"<p>{e(r.description)}</p>",
            "<table><thead><tr><th>column</th><th>type</th><th>unit</th><th>allowed values</th>"
            "<th>empty means</th><th>description</th></tr></thead><tbody>",
            *(
                f"<tr><td><code>{e(f.name)}</code></td><td>{e(f.type)}</td><td>{e(f.unit)}</td>"
                f"<td>{e(_allowed(f))}</td><td>{e(f.missing_meaning())}</td>"
                f"<td>{e(f.description)}</td></tr>"
                for f in r.fields
            ),
            "</tbody></table>",
        ]
    style = (
        "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}table{border-collapse:collapse;margin:0.5rem 0 1.5rem}"
        "td,th{border:1px solid #ccc;padding:0.25rem 0.5rem;vertical-align:top;text-align:left}"
        "th{background:#f3f3f3}code{font-size:0.92em}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Codebook: {html.escape(PACKAGE_TITLE)}</title>\n<style>{style}</style>\n"
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def datapackage_json() -> bytes:
    """The bytes of ``data/processed/datapackage.json``."""
    return (json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- workbook


def _cell(value: Any) -> Any:
    """A value as the workbook holds it: open bounds and missing numbers as empty cells."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _readme_lines() -> list[str]:
    """The lines of the workbook's README sheet, one per row."""
    return [
        PACKAGE_TITLE,
        "",
        "One sheet per table of data/processed/ (the CSV files), and the codebook (every column's "
        "type, unit, allowed values, what an empty cell means, description).",
        f"Licence: {LICENSES[0]['title']}: {LICENSES[0]['path']}",
        "",
        "Encoding:",
        *ENCODING,
        "",
        "Flags of estimates (Eurostat/SDMX convention):",
        *(f"{k}: {name}: {meaning}" for k, (name, meaning) in FLAGS.items()),
        "",
        "Sheets:",
        *(f"{r.name}: {r.title}; grain: {r.grain}" for r in RESOURCES.values()),
    ]


def workbook_bytes(processed: Path) -> bytes:
    """The workbook of the tables in ``processed``: a README sheet, the codebook, then one sheet
    per table (read through the typed reader: numbers as numbers, booleans as booleans, open
    bounds as empty cells). The same tables always give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = "README"
    bold = Font(bold=True)
    for line in _readme_lines():
        readme.append([line])
    readme["A1"].font = bold

    book = wb.create_sheet("codebook")
    book.append(
        [
            "table",
            "column",
            "type",
            "unit",
            "allowed values",
            "empty means",
            "description",
            "primary key",
            "grain",
        ]
    )
    for r in RESOURCES.values():
        for f in r.fields:
            book.append(
                [
                    r.filename,
                    f.name,
                    f.type,
                    f.unit,
                    ", ".join(f.enum),
                    f.missing_meaning(),
                    f.description,
                    "yes" if f.name in r.primary_key else "",
                    r.grain,
                ]
            )
    for c in book[1]:
        c.font = bold

    for r in RESOURCES.values():
        _table_sheet(wb.create_sheet(r.name), r, processed / r.filename, bold)

    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic_zip(buffer.getvalue())


#: Number formats of the workbook, by column type: dates as dates, numbers with up to six
#: decimals and no trailing zeros shown beyond what the value has (Excel's "General" keeps
#: 26220 as 26220 and 0.2 as 0.2), integers with a thousands separator.
_FORMATS = {"date": "yyyy-mm-dd", "integer": "#,##0", "number": "General"}


def _table_sheet(sheet: Any, resource: Any, path: Path, bold: Any) -> None:
    """One table's sheet: a bold, frozen header with filters; dates as dates, numbers as
    numbers with a format; columns as wide as their content (up to 60 characters)."""
    import datetime

    from openpyxl.utils import get_column_letter

    sheet.append(list(resource.columns))
    for c in sheet[1]:
        c.font = bold
    widths = [len(name) for name in resource.columns]
    kinds = [f.type for f in resource.fields]
    if path.is_file():
        # Typed rows without pandas: the runner builds the workbook in its own process,
        # which imports pandas for nothing else (0.3 s).
        for record in read_records(path):
            row = []
            for i, v in enumerate(record.values()):
                v = _cell(v)
                if kinds[i] == "date" and v:
                    v = datetime.date.fromisoformat(v)
                row.append(v)
                widths[i] = max(widths[i], len(str(v)) if v is not None else 0)
            sheet.append(row)
    for i, column in enumerate(sheet.iter_cols(min_row=2)):
        for c in column:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # text, never a formula
            elif kinds[i] in _FORMATS and c.value is not None:
                c.number_format = _FORMATS[kinds[i]]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width, 60) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(sheet.max_row, 1)}"


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed entry dates and fixed document timestamps (openpyxl writes
    the time of the save into ``docProps/core.xml`` and into every zip entry)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + FIXED_TIME.encode() + rb"\g<3>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


# --------------------------------------------------------------------------- the run's hook


#: The digests of what :func:`publish` last wrote, so that a hand edit of one of its files is
#: noticed (and the file rewritten) by the next run.
PUBLISHED_STATE = Path("reports") / ".state" / "published.json"


def _published_files(root: Path) -> list[Path]:
    processed = root / "data" / "processed"
    files = (processed / CODEBOOK, processed / DATAPACKAGE, processed / WORKBOOK)
    return [*files, root / "reports" / CODEBOOK_HTML]


def _digests(root: Path) -> dict[str, str]:
    from digital_exports.base.hashing import sha256_file

    return {
        p.relative_to(root).as_posix(): sha256_file(p)
        for p in _published_files(root)
        if p.is_file()
    }


def published(root: Path) -> bool:
    """Whether every file :func:`publish` writes exists as it last wrote it (a file edited by
    hand since, or one written before the package kept their digests, is published again)."""
    import json

    state = root / PUBLISHED_STATE
    if not all(p.is_file() for p in _published_files(root)) or not state.is_file():
        return False
    try:
        return bool(json.loads(state.read_text(encoding="utf-8")) == _digests(root))
    except ValueError:
        return False


def publish(root: Path) -> list[Path]:
    """Write the codebook (Markdown and HTML), ``datapackage.json`` and the workbook of the
    project at ``root``; a file whose bytes would not change is left as it is.

    Returns:
        The paths written or left unchanged.
    """
    import json

    processed = root / "data" / "processed"
    written = [
        atomic_write(processed / CODEBOOK, codebook_markdown().encode("utf-8")),
        atomic_write(processed / DATAPACKAGE, datapackage_json()),
        atomic_write(processed / WORKBOOK, workbook_bytes(processed)),
        atomic_write(root / "reports" / CODEBOOK_HTML, codebook_html().encode("utf-8")),
    ]
    state = json.dumps(_digests(root), indent=1, sort_keys=True).encode()
    atomic_write(root / PUBLISHED_STATE, state)
    return written
