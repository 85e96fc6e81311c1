"""The README's generated sections, rewritten from the processed tables by every run (the
runner, after the reports): the key figures, the data availability table (one row
per outlet folder, from ``releases.csv``) and the exchange rates' coverage (from
``series.csv``). A test fails when the README differs from what the tables give."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from digital_exports.report import keyfigures
from digital_exports.tables.io import read_records
from digital_exports.tables.outputs import atomic_write


def data_availability(processed: Path) -> str:
    """One Markdown row per outlet folder of ``data/raw/``: its outlets' names, the sites read,
    the number of releases and their publication years, and the producers the releases
    name, all as ``releases.csv`` holds them."""
    releases = read_records(processed / "releases.csv")
    by_folder: dict[str, list[dict]] = {}
    for r in releases:
        by_folder.setdefault(r["release_id"].split("/", 1)[0], []).append(r)
    lines = [
        "| folder | outlet | site read | releases (years published) | producer of the figures, "
        "as the source attributes them |",
        "|---|---|---|---|---|",
    ]
    for folder in sorted(by_folder):
        mine = by_folder[folder]
        outlets = "; ".join(sorted({r["outlet"] for r in mine}))
        hosts = ", ".join(sorted({urlsplit(r["url"]).hostname or "" for r in mine} - {""}))
        years = sorted({r["date_published"][:4] for r in mine if r["date_published"]})
        undated = sum(not r["date_published"] for r in mine)
        when = ", ".join(years + ([f"{undated} with no date printed"] if undated else []))
        producers = "; ".join(sorted({r["producer"] for r in mine if r["producer"]}))
        cells = (outlets, hosts.removeprefix("www."), f"{len(mine)} ({when})", producers)
        lines.append(f"| `{folder}/` | " + " | ".join(_escape(c) for c in cells) + " |")
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Text from data in a Markdown table cell."""
    return keyfigures.cell_md(text)


def rates_coverage(processed: Path) -> str:
    """The years each exchange rate of ``series.csv`` covers, in one sentence."""
    rows = [r for r in read_records(processed / "series.csv") if r["series"] == "exchange_rate"]
    spans = []
    for segment in sorted({r["segment"] for r in rows}):
        years = sorted({r["period"][:4] for r in rows if r["segment"] == segment})
        spans.append(f"{segment.replace('_PER_', ' per ')} {years[0]}–{years[-1]}")
    if not spans:
        return "The tables hold no exchange rate: levels are shown in their own currency only."
    return (
        "Exchange rates in the tables (annual averages): "
        + "; ".join(spans)
        + ". A level of a year without a rate is not converted, and a report in another "
        "currency says so."
    )


SECTIONS: dict[str, Callable[[Path], str]] = {
    "key-figures": lambda p: keyfigures.markdown(keyfigures.key_figures(p)),
    "data-availability": data_availability,
    "rates-coverage": rates_coverage,
}


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- generated: {name} [^>]*-->\n)(.*?)(<!-- end generated: {name} -->)", re.S
    )


def _fill(match: re.Match[str], body: str) -> str:
    """A generated section's markers around its new body."""
    return match[1] + "\n" + body + "\n\n" + match[3]


def render(text: str, processed: Path) -> str:
    """``text`` with every generated section that has its markers rewritten from the tables
    in ``processed`` (a README without a section's markers is left as it is there)."""
    for name, make in SECTIONS.items():
        pattern = _pattern(name)
        if pattern.search(text):
            body = make(processed)
            text = pattern.sub(functools.partial(_fill, body=body), text)
    return text


def update(root: Path, check: bool = False) -> bool:
    """Rewrite the generated sections of ``root/README.md`` from ``root/data/processed/``;
    with ``check``, only say whether they are up to date. True when the file is (or now is)
    up to date; a project without a README or tables is left alone."""
    readme, processed = root / "README.md", root / "data" / "processed"
    if not readme.is_file() or not (processed / "estimates.csv").is_file():
        return True
    text = readme.read_text(encoding="utf-8")
    fresh = render(text, processed)
    if check:
        return fresh == text
    if fresh != text:
        atomic_write(readme, fresh.encode("utf-8"))
    return True
