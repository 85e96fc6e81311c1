"""HTML reports: two versions per notebook, offline, byte-identical on a rerun, escaped, with a
provenance footer; and the index page with relative links that resolve.

The committed notebooks (executed, with their outputs) are exported once per module into a
temporary folder laid out like the project (``reports/html``, ``reports/figures``,
``data/processed``); ``test_browser.py`` renders the same site with Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from digital_exports.contract.vocab import DATA_STATUSES
from digital_exports.report import html as report
from digital_exports.report.html import Provenance
from digital_exports.tables.ingest import ingest_step

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
COMMIT = "0123456789abcdef0123456789abcdef01234567"

PROVENANCE = Provenance(
    releases=(
        {
            "release_id": "le360/2025-10-17-exportations-numeriques",
            "data_status": "preliminary",
            "date_published": "2025-10-17",
            "sha256": "a" * 64,
        },
        {
            "release_id": "le360/2016-08-10-offshoring",
            "data_status": "unknown",
            "date_published": "",
            "sha256": "b" * 64,
        },
    ),
    parameters={"year": 2023, "lang": "fr"},
    defaults={"series": "digital_outsourcing_exports", "year": 2024, "lang": "fr"},
    git_commit=COMMIT,
    git_dirty=False,
    versions={"python": "3.11.2", "digital_exports": "0.1.0", "nbconvert": "7.17.2"},
)


# --------------------------------------------------------------------------- helpers


def _without_data_uris(text: str) -> str:
    """``text`` with every ``data:`` URI cut out (base64 may spell anything, even /tmp/)."""
    return re.sub(r"data:[^\"'\s)]+", "data:", text)


def _is_local(url: str) -> bool:
    """A ``data:`` URI, an in-page fragment or a relative path: nothing to fetch from a network
    address or from an absolute path."""
    url = url.strip()
    if not url or url.startswith("#") or url.lower().startswith("data:"):
        return True
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("/", "\\"))


class _Scan(HTMLParser):
    """Collects what a page would load, its styles and its visible text."""

    LOADING: ClassVar[dict[str, tuple[str, ...]]] = {
        "img": ("src", "srcset"),
        "source": ("src", "srcset"),
        "iframe": ("src",),
        "frame": ("src",),
        "embed": ("src",),
        "object": ("data",),
        "video": ("src", "poster"),
        "audio": ("src",),
        "track": ("src",),
        "input": ("src",),
        "image": ("href", "xlink:href"),
        "use": ("href", "xlink:href"),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._in.append(tag)
        if tag == "script" and "src" in a:
            self.problems.append(f"<script src={a['src']!r}>")
        if tag == "link" and "href" in a:
            self.problems.append(f"<link href={a['href']!r}>")
        if tag == "base":
            self.problems.append("<base> changes where relative links point")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for attr in self.LOADING.get(tag, ()):
            if attr not in a:
                continue
            urls = [u.split()[0] for u in a[attr].split(",") if u.strip()]
            urls = urls if attr == "srcset" else [a[attr]]
            for url in urls:
                self.links.append((tag, attr, url))
                if not _is_local(url):
                    self.problems.append(f"<{tag} {attr}={url[:80]!r}> is not local")
        if tag == "a" and "href" in a:
            self.links.append((tag, "href", a["href"]))
        if "style" in a:
            self.styles.append(a["style"])

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif self._in and self._in[-1] == "script":
            self.scripts.append(data)
        else:
            self.text.append(data)


def scan(html_text: str) -> _Scan:
    parser = _Scan()
    parser.feed(html_text)
    parser.close()
    return parser


def offline_problems(html_text: str) -> list[str]:
    """Everything in a page that would fetch something from outside the page's own folder
    tree: ``<script src>``, ``<link href>``, non-local ``src``/``data``/``href`` of embedded
    resources, ``url(...)`` in CSS that is not ``data:`` or relative, any ``@import``, and any
    network address inside an inline script."""
    s = scan(html_text)
    problems = list(s.problems)
    for css in s.styles:
        if re.search(r"@import", css, re.IGNORECASE):
            problems.append("@import in a style")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css, re.IGNORECASE):
            if not _is_local(url):
                problems.append(f"url({url[:80]}) in a style")
    for script in s.scripts:
        if re.search(r"(https?:)?//[\w.-]+\.\w+/", _without_data_uris(script)):
            problems.append("a network address in an inline script")
    return problems


def text_of(html_text: str) -> str:
    """The page's text (outside scripts and styles): one space between the texts of elements
    and none before closing punctuation."""
    text = " ".join(" ".join(scan(html_text).text).split())
    return re.sub(r" ([),.:;])", r"\1", text)


def png_outputs(nb: nbformat.NotebookNode) -> list[str]:
    return [
        o["data"]["image/png"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]


def build_site(base: Path) -> dict[str, object]:
    """Export every committed notebook into ``base/reports/html``, extract their PNG charts to
    ``base/reports/figures`` (with an SVG twin for one), copy the processed tables to
    ``base/data/processed`` and write ``base/reports/index.html``, as the pipeline lays them out.

    Returns:
        ``{"index": Path, "exported": {stem: [reader, code]}, "charts": [...], "tables": [...],
        "notebooks": {stem: NotebookNode}}``.
    """
    html_dir = base / "reports" / "html"
    figures = base / "reports" / "figures"
    processed = base / "data" / "processed"
    figures.mkdir(parents=True)
    processed.mkdir(parents=True)
    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in NOTEBOOKS}
    exported = {
        stem: report.export_notebook(nb, html_dir, stem, PROVENANCE, title=f"Report {stem}")
        for stem, nb in notebooks.items()
    }
    charts = []
    for stem, nb in notebooks.items():
        for i, data in enumerate(png_outputs(nb)):
            chart = figures / f"{stem}_chart{i}.png"
            chart.write_bytes(base64.b64decode(data))
            charts.append(chart)
    assert charts, "the committed notebooks should hold PNG charts"
    svg = charts[0].with_suffix(".svg")
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#0b5cad"/></svg>\n',
        encoding="utf-8",
    )
    charts.append(svg)
    tables = []
    for csv in sorted((ROOT / "data" / "processed").glob("*.csv")):
        tables.append(processed / csv.name)
        shutil.copyfile(csv, tables[-1])
    reports = [
        {
            "title": f"Report {stem}",
            "reader": paths[0],
            "code": paths[1],
            "notebook": f"notebooks/{stem}.ipynb",
            "parameters": {"year": 2023, "lang": "en"} if stem.startswith("30") else {},
        }
        for stem, paths in exported.items()
    ]
    outputs_map = [
        {
            "output": "data/processed/series.csv",
            "what": "one row per quantity",
            "notebook": "notebooks/20_reconcile_and_check.ipynb",
        },
        {
            "output": "reports/figures/segment_breakdown_{series}_{year}.png",
            "what": "the article's chart",
            "notebook": "notebooks/30_segment_breakdown.ipynb",
        },
    ]
    index = report.write_index(
        base / "reports" / "index.html",
        "Morocco's digital exports",
        "Every printed figure, kept as printed.\n\nAnd checked.",
        "Data vintage: releases up to 2026-02-23.",
        reports,
        charts,
        tables,
        outputs_map,
    )
    return {
        "index": index,
        "exported": exported,
        "charts": charts,
        "tables": tables,
        "notebooks": notebooks,
        "reports": reports,
        "outputs_map": outputs_map,
    }


def _tiny_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny\n\nSome text and $x^2$ math."),
        nbformat.v4.new_code_cell(
            "secret_code_marker = 1\nsecret_code_marker",
            execution_count=1,
            outputs=[
                nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1)
            ],
        ),
    ]
    return nb


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return build_site(tmp_path_factory.mktemp("site"))


# --------------------------------------------------------------------------- reports


def test_the_committed_notebooks_are_there() -> None:
    assert len(NOTEBOOKS) >= 6


def test_two_files_per_notebook(site: dict) -> None:
    html_dir = site["index"].parent / "html"
    for stem, paths in site["exported"].items():
        assert paths == [html_dir / f"{stem}.html", html_dir / f"{stem}.code.html"]
        assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert sorted(p.name for p in html_dir.iterdir()) == sorted(
        p.name for paths in site["exported"].values() for p in paths
    )


def test_reader_version_has_no_code_and_code_version_has_it(site: dict) -> None:
    for stem, (reader, code) in site["exported"].items():
        nb = site["notebooks"][stem]
        reader_html, code_html = reader.read_text("utf-8"), code.read_text("utf-8")
        reader_text, code_text = text_of(reader_html), text_of(code_html)
        assert "from digital_exports." in code_text, stem
        assert "from digital_exports." not in reader_text, stem
        for cls in ("jp-InputArea-editor", "jp-InputPrompt", "jp-OutputPrompt"):
            assert not re.search(rf'class="[^"]*\b{cls}\b', reader_html), (stem, cls)
            assert re.search(rf'class="[^"]*\b{cls}\b', code_html), (stem, cls)
        # Both versions keep the text and the outputs, images embedded as data: URIs.
        heading = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
        assert heading in reader_text and heading in code_text, stem
        n_png = len(png_outputs(nb))
        for page in (reader_html, code_html):
            images = [u for t, _a, u in scan(page).links if t == "img"]
            assert len(images) == n_png, stem
            assert all(u.startswith("data:image/png;base64,") for u in images), stem


def test_export_twice_gives_identical_bytes(site: dict, tmp_path: Path) -> None:
    report.exporter.cache_clear()  # a fresh exporter, as in a new process
    for stem, nb in site["notebooks"].items():
        again = report.export_notebook(nb, tmp_path, stem, PROVENANCE, title=f"Report {stem}")
        for first, second in zip(site["exported"][stem], again, strict=True):
            assert first.read_bytes() == second.read_bytes(), first.name


def test_export_does_not_modify_the_notebook(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    before = nbformat.writes(nb)
    report.export_notebook(nb, tmp_path, "x", PROVENANCE, title="x")
    assert nbformat.writes(nb) == before


def test_reports_are_offline(site: dict) -> None:
    for paths in site["exported"].values():
        for path in paths:
            page = path.read_text("utf-8")
            assert offline_problems(page) == [], path.name
            assert "<script" not in page, path.name


def test_reports_hold_no_absolute_paths(site: dict) -> None:
    pages = [p for paths in site["exported"].values() for p in paths] + [site["index"]]
    for path in pages:
        page = _without_data_uris(path.read_text("utf-8"))
        for needle in ("/work/", "/tmp/", str(ROOT), str(path.parent)):
            assert needle not in page, (path.name, needle)


def test_offline_check_catches_every_kind_of_remote_load() -> None:
    bad = {
        '<script src="https://cdn.example/require.js"></script>': "<script src=",
        '<script src="local.js"></script>': "<script src=",
        '<link rel="stylesheet" href="style.css">': "<link href=",
        '<img src="https://example.com/a.png">': "<img src=",
        '<img src="/abs/a.png">': "<img src=",
        '<img src="file:///etc/a.png">': "<img src=",
        '<img srcset="a.png 1x, //example.com/b.png 2x">': "<img srcset=",
        '<picture><source src="http://example.com/b.webp"></picture>': "<source src=",
        '<iframe src="https://example.com"></iframe>': "<iframe src=",
        '<object data="https://example.com/x.swf"></object>': "<object data=",
        "<style>@import url(http://example.com/x.css);</style>": "@import",
        '<style>body { background: url("https://example.com/bg.png") }</style>': "url(",
        "<p style=\"background:url('http://example.com/x.png')\">x</p>": "url(",
        '<script>import("https://cdn.example.com/mermaid.mjs")</script>': "inline script",
        '<svg><image href="https://example.com/x.png"/></svg>': "<image href=",
    }
    for snippet, expected in bad.items():
        problems = offline_problems(f"<html><body>{snippet}</body></html>")
        assert any(expected in p for p in problems), (snippet, problems)
    ok = (
        '<img src="data:image/png;base64,iVBOR"><img src="figures/a.png">'
        '<a href="https://fr.le360.ma/article">source</a><a href="#provenance">x</a>'
        "<style>.x { background: url(data:image/svg+xml;base64,PHN2) }</style>"
    )
    assert offline_problems(f"<html><body>{ok}</body></html>") == []


def test_nothing_from_a_cdn_for_widgets_math_or_scripts(tmp_path: Path) -> None:
    """nbconvert's lab template would add require.js, MathJax, mermaid.js and the widgets
    renderer from CDNs, and random ids for JavaScript and widget outputs."""
    nb = _tiny_notebook()
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "version_major": 2,
            "version_minor": 0,
            "state": {"m1": {"model_name": "IntSliderModel", "state": {"value": 3}}},
        }
    }
    nb.cells[1].outputs += [
        nbformat.v4.new_output("display_data", {"application/javascript": "alert(1)"}),
        nbformat.v4.new_output(
            "display_data",
            {
                "application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2},
                "text/plain": "IntSlider(value=3)",
            },
        ),
        nbformat.v4.new_output("display_data", {"text/vnd.mermaid": "graph TD; A-->B"}),
    ]
    first = report.export_notebook(nb, tmp_path / "a", "w", PROVENANCE, title="widgets")
    second = report.export_notebook(nb, tmp_path / "b", "w", PROVENANCE, title="widgets")
    for path, again in zip(first, second, strict=True):
        page = path.read_text("utf-8")
        assert offline_problems(page) == [], path.name
        assert "<script" not in page, path.name
        for cdn in ("cdnjs", "jsdelivr", "unpkg", "require", "mathjax", "MathJax"):
            assert cdn not in page, (path.name, cdn)
        assert path.read_bytes() == again.read_bytes(), path.name
        assert "omitted from the offline report" in page


def test_inserted_text_is_escaped(tmp_path: Path) -> None:
    prov = replace(
        PROVENANCE,
        releases=(
            {
                "release_id": XSS,
                "data_status": XSS,
                "date_published": XSS,
                "sha256": XSS,
            },
        ),
        parameters={"year": XSS, XSS: 1},
        defaults={"year": 2024},
        git_commit=XSS,
        versions={XSS: XSS},
    )
    for path in report.export_notebook(_tiny_notebook(), tmp_path, "x", prov, title=XSS):
        page = path.read_text("utf-8")
        assert XSS not in page, path.name
        assert page.count(XSS_ESCAPED) >= 8, path.name
        assert "<script" not in page, path.name
        assert not scan(page).problems, path.name


def test_footer_ends_each_report_with_the_provenance(site: dict, tmp_path: Path) -> None:
    for paths in site["exported"].values():
        for path in paths:
            page = path.read_text("utf-8")
            start = page.index('<footer class="provenance"')
            assert re.fullmatch(
                r"\s*</footer>\s*</main>\s*</body>\s*</html>\s*", page[page.index("</footer>") :]
            ), path.name
            footer = page[start:]
            text = text_of(footer)
            for release in PROVENANCE.releases:
                assert release["release_id"] in text
                assert f'title="{release["sha256"]}"' in footer  # full checksum
                assert release["sha256"][:12] in text
            assert "preliminary" in text and "2025-10-17" in text and "no date printed" in text
            assert COMMIT in text and "uncommitted" not in text
            assert "year 2023 set for this run (default: 2024)" in text
            assert "lang 'fr' default" in text
            assert "series 'digital_outsourcing_exports' default" in text
            assert "nbconvert 7.17.2" in text and "python 3.11.2" in text
    dirty = replace(PROVENANCE, git_dirty=True, parameters={})
    page = report.export_notebook(_tiny_notebook(), tmp_path, "d", dirty, title="d")[0]
    text = text_of(page.read_text("utf-8"))
    assert f"{COMMIT} (working tree had uncommitted changes)" in text
    assert "year 2024 default" in text


def test_reports_link_to_each_other(site: dict) -> None:
    for stem, (reader, code) in site["exported"].items():
        reader_links = [u for t, _a, u in scan(reader.read_text("utf-8")).links if t == "a"]
        code_links = [u for t, _a, u in scan(code.read_text("utf-8")).links if t == "a"]
        assert f"{stem}.code.html" in reader_links and f"{stem}.html" in code_links
        assert "#provenance" in reader_links


# --------------------------------------------------------------------------- provenance_for


def test_provenance_of_every_release() -> None:
    prov = report.provenance_for(ROOT, None, {}, {"year": 2024})
    sums = (ROOT / "data" / "raw" / "SHA256SUMS").read_text("utf-8").splitlines()
    listed = {
        line.split()[1].removesuffix("/figures.csv"): line.split()[0]
        for line in sums
        if line.endswith("/figures.csv")
    }
    assert [r["release_id"] for r in prov.releases] == sorted(listed)
    for r in prov.releases:
        assert set(r) == {"release_id", "data_status", "date_published", "sha256"}
        figures = ROOT / "data" / "raw" / r["release_id"] / "figures.csv"
        assert r["sha256"] == hashlib.sha256(figures.read_bytes()).hexdigest()
        assert r["data_status"] in DATA_STATUSES
        assert r["date_published"] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date_published"])
    assert prov.parameters == {} and prov.defaults == {"year": 2024}
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", prov.git_commit)
    assert set(prov.versions) >= {
        "python",
        "digital_exports",
        "pandas",
        "matplotlib",
        "nbconvert",
        "papermill",
    }


def test_provenance_of_chosen_releases() -> None:
    seed = "le360/2025-10-17-exportations-numeriques"
    prov = report.provenance_for(ROOT, iter([seed, seed]), {"year": 2023}, {"year": 2024})
    assert prov.releases == (
        {
            "release_id": seed,
            "data_status": "preliminary",
            "date_published": "2025-10-17",
            "sha256": hashlib.sha256(
                (ROOT / "data" / "raw" / seed / "figures.csv").read_bytes()
            ).hexdigest(),
        },
    )
    assert prov.parameters == {"year": 2023}
    assert report.provenance_for(ROOT, [], {}, {}).releases == ()
    with pytest.raises(ValueError, match="le360/no-such-release"):
        report.provenance_for(ROOT, ["le360/no-such-release"], {}, {})


def test_provenance_outside_a_git_repository(raw_folder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(raw_folder.root.parent))
    # Reports read the validated releases table, never data/raw/: ingest first.
    ingest_step(raw_folder.raw, raw_folder.processed, raw_folder.root)
    prov = report.provenance_for(raw_folder.root, None, {}, {})
    assert prov.git_commit == "unknown" and prov.git_dirty is False
    assert [r["release_id"] for r in prov.releases] == ["le360/2025-10-17-test"]
    assert prov.releases[0]["data_status"] == "preliminary"
    assert prov.releases[0]["date_published"] == "2025-10-17"


# --------------------------------------------------------------------------- index


def _resolve(base: Path, url: str) -> Path:
    return base / unquote(urlsplit(url).path)


def test_index_links_are_relative_and_resolve(site: dict) -> None:
    index = site["index"]
    page = index.read_text("utf-8")
    s = scan(page)
    assert offline_problems(page) == [] and "<script" not in page
    local = [(t, a, u) for t, a, u in s.links if not u.startswith("#")]
    assert local
    for tag, attr, url in local:
        assert _is_local(url), (tag, attr, url)
        assert _resolve(index.parent, url).is_file(), (tag, attr, url)
    hrefs = {u for t, _a, u in local if t == "a"}
    for paths in site["exported"].values():
        assert {f"html/{p.name}" for p in paths} <= hrefs
    assert {f"../data/processed/{t.name}" for t in site["tables"]} <= hrefs
    pngs = [c for c in site["charts"] if c.suffix == ".png"]
    thumbs = [u for t, _a, u in local if t == "img"]
    assert sorted(thumbs) == sorted(f"figures/{c.name}" for c in pngs)
    assert f"figures/{site['charts'][-1].name}" in hrefs  # the SVG twin is linked
    # The output map links an output that is one of the tables, and names the notebook.
    text = text_of(page)
    assert "data/processed/series.csv one row per quantity" in text
    assert "notebooks/20_reconcile_and_check.ipynb" in text
    assert "Data vintage: releases up to 2026-02-23." in text
    assert "year = 2023 lang = 'en'" in text


def test_index_is_deterministic(site: dict, tmp_path: Path) -> None:
    out = site["index"].parent / "index-again.html"
    try:
        report.write_index(
            out,
            "Morocco's digital exports",
            "Every printed figure, kept as printed.\n\nAnd checked.",
            "Data vintage: releases up to 2026-02-23.",
            site["reports"],
            list(reversed(site["charts"])),
            list(reversed(site["tables"])),
            site["outputs_map"],
        )
        assert out.read_bytes() == site["index"].read_bytes()
    finally:
        out.unlink(missing_ok=True)


def test_index_escapes_inserted_text(site: dict, tmp_path: Path) -> None:
    reader, code = site["exported"][NOTEBOOKS[0].stem]
    out = report.write_index(
        tmp_path / "index.html",
        XSS,
        XSS,
        XSS,
        [{"title": XSS, "reader": reader, "code": code, "notebook": XSS, "parameters": {XSS: XSS}}],
        [],
        [],
        [{"output": XSS, "what": XSS, "notebook": XSS}],
    )
    page = out.read_text("utf-8")
    assert XSS not in page and "<script" not in page
    assert page.count(XSS_ESCAPED) >= 9
    assert offline_problems(page) == []


def test_index_refuses_a_missing_file(site: dict, tmp_path: Path) -> None:
    reader, _code = site["exported"][NOTEBOOKS[0].stem]
    reports = [{"title": "x", "reader": reader, "code": tmp_path / "gone.html", "notebook": "n"}]
    with pytest.raises(FileNotFoundError, match=r"gone\.html"):
        report.write_index(tmp_path / "index.html", "t", "i", "v", reports, [], [], [])
    assert not (tmp_path / "index.html").exists()


def test_the_stock_lab_template_would_fail_the_offline_check() -> None:
    """The check above is not vacuous: nbconvert's own lab template loads from CDNs."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(_tiny_notebook())
    problems = offline_problems(body)
    assert any("require" in p for p in problems) and any("mathjax" in p for p in problems)
