"""Self-contained, offline HTML reports of the executed notebooks, with provenance, and their index.

Each notebook becomes two files: a reader's version (outputs and text only) and a version with
the code. Both end with a provenance footer (releases and their checksums, parameters, git
commit, package versions), load nothing from any network address (nbconvert's CDN scripts are
removed by the ``offline`` template in ``templates/``) and come out byte-identical when the
inputs are the same: no timestamps, random ids or absolute paths.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import markupsafe

from digital_exports.base.gitstate import git_state
from digital_exports.base.recorded import without_records
from digital_exports.base.text import reveal
from digital_exports.tables.outputs import atomic_write

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "offline"

#: Packages whose versions every report states.
VERSIONED_PACKAGES = ("digital_exports", "pandas", "matplotlib", "nbconvert", "papermill")

#: Characters of a sha256 or a commit shown in the text; the full value is in a title attribute.
SHORT_HASH = 12

_REPORT_CSS = """
main { max-width: 1100px; margin: 0 auto; padding: 0 1.25rem 2rem; }
.report-nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; align-items: baseline;
  margin: 1rem 0 0.5rem; padding: 0.45rem 0.8rem; font-size: 0.85rem;
  font-family: var(--jp-ui-font-family); color: #555; background: #f5f7f9;
  border: 1px solid #e1e5ea; border-radius: 6px; }
.report-nav strong { color: #222; }
.report-nav a { color: #0b5cad; }
.jp-CodeCell.jp-mod-noInput.jp-mod-noOutputs { display: none; }
/* Readers' tables (analysis/readers.py): never wider than the page; text cells wrap (never
   cut), numbers right-aligned; any output wider than the page scrolls inside its own box. */
.jp-OutputArea-output { max-width: 100%; overflow-x: auto; }
.reader-table-wrap { max-width: 100%; overflow-x: auto; }
table.reader-table { max-width: 100%; table-layout: auto; border-collapse: collapse;
  margin: 0.5rem 0; font-size: 0.85rem; }
table.reader-table th, table.reader-table td { padding: 0.3rem 0.5rem; vertical-align: top;
  overflow-wrap: break-word; }
table.reader-table th { border-bottom: 1px solid #8c959f; }
table.reader-table .text { text-align: left; }
table.reader-table .num { text-align: right; font-variant-numeric: tabular-nums; }
table.reader-table td.num { white-space: nowrap; }
.report-omitted pre { color: #777; font-style: italic; }
footer.provenance { margin-top: 2.5rem; padding: 1rem 1.25rem 1.25rem;
  border-top: 3px solid #0b5cad; background: #f7f9fb; font-family: var(--jp-ui-font-family);
  font-size: 0.85rem; color: #222; line-height: 1.45; }
footer.provenance h2 { font-size: 1.15rem; margin: 0.2rem 0 0.6rem; }
footer.provenance h3 { font-size: 0.95rem; margin: 1.1rem 0 0.4rem; }
footer.provenance p { margin: 0.3rem 0; }
footer.provenance table { border-collapse: collapse; margin: 0.2rem 0; font-size: 0.8rem; }
footer.provenance th, footer.provenance td { text-align: left; padding: 0.2rem 0.7rem 0.2rem 0;
  border-bottom: 1px solid #e1e5ea; vertical-align: top; }
footer.provenance th { font-weight: 600; border-bottom: 1px solid #b8c2cc; }
footer.provenance code { font-family: var(--jp-code-font-family); font-size: 0.78rem; }
footer.provenance .is-default { color: #666; }
footer.provenance .is-set { color: #8a4b00; font-weight: 600; }
footer.provenance .dirty { color: #a40000; font-weight: 600; }
footer.provenance ul.versions { list-style: none; padding: 0; margin: 0.2rem 0;
  display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; }
"""


@dataclass(frozen=True)
class Provenance:
    """What a report was made from, shown in its footer.

    Attributes:
        releases: one mapping per release used, with the keys ``release_id``, ``data_status``,
            ``date_published`` (empty when the release prints no date) and ``sha256`` (of its
            ``figures.csv``).
        parameters: the notebook's parameters for this run; ``{}`` means the defaults.
        defaults: the notebook's default parameters.
        git_commit: the commit of the code, or ``"unknown"``.
        git_dirty: whether the working tree had uncommitted changes.
        versions: package name to version (python, digital_exports, pandas, ...).
        resolved: the values the run gave parameters whose default is a word (``latest``).
        lang: the language of the report (``en`` or ``fr``), which its footer and navigation
            bar speak.
    """

    releases: tuple[dict[str, str], ...]
    parameters: dict[str, object]
    defaults: dict[str, object]
    git_commit: str
    git_dirty: bool
    versions: dict[str, str]
    resolved: dict[str, object] = dataclasses.field(default_factory=dict)
    lang: str = "en"


#: The words of a report's navigation bar and provenance footer, in each language.
REPORT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "reader": "reader's version",
        "code": "version with code",
        "also": "also:",
        "provenance": "Provenance",
        "provenance_link": "provenance",
        "intro": "This report was produced from the releases, parameters, code and packages "
        "below. A release's checksum is the sha256 of its",
        "intro_listed": "as listed in",
        "intro_hover": "(hover for the full value).",
        "releases_used": "Releases used",
        "release": "release",
        "data_status": "data status",
        "published": "published",
        "sha": "sha256 of figures.csv",
        "no_release": "No raw release was read directly by this report.",
        "parameters": "Parameters",
        "parameter": "parameter",
        "value": "value",
        "set": "set for this run (default:",
        "not_declared": "set for this run (not a declared parameter)",
        "default": "default",
        "resolved": "default {word}, resolved from the data",
        "no_parameters": "This notebook has no parameters.",
        "code_heading": "Code",
        "git_commit": "git commit",
        "dirty": "(working tree had uncommitted changes)",
        "packages": "Packages",
        "no_date": "no date printed",
        "preliminary": "preliminary",
        "final": "final",
        "unknown": "unknown",
        "forecast": "forecast",
    },
    "fr": {
        "reader": "version de lecture",
        "code": "version avec le code",
        "also": "voir aussi :",
        "provenance": "Provenance",
        "provenance_link": "provenance",
        "intro": "Ce rapport a été produit à partir des publications, paramètres, code et "
        "paquets ci-dessous. L'empreinte d'une publication est le sha256 de son fichier",
        "intro_listed": "tel que le liste",
        "intro_hover": "(survoler pour la valeur complète).",
        "releases_used": "Publications utilisées",
        "release": "publication",
        "data_status": "statut des données",
        "published": "publiée le",
        "sha": "sha256 de figures.csv",
        "no_release": "Ce rapport n'a lu directement aucune publication brute.",
        "parameters": "Paramètres",
        "parameter": "paramètre",
        "value": "valeur",
        "set": "fixé pour cette exécution (par défaut :",
        "not_declared": "fixé pour cette exécution (paramètre non déclaré)",
        "default": "par défaut",
        "resolved": "par défaut {word}, déterminé à partir des données",
        "no_parameters": "Ce carnet n'a pas de paramètre.",
        "code_heading": "Code",
        "git_commit": "commit git",
        "dirty": "(l'arbre de travail avait des modifications non validées)",
        "packages": "Paquets",
        "no_date": "date non indiquée",
        "preliminary": "préliminaires",
        "final": "définitives",
        "unknown": "non précisé",
        "forecast": "prévision",
    },
}


# --------------------------------------------------------------------------- provenance


def package_versions() -> dict[str, str]:
    """The versions of Python and of :data:`VERSIONED_PACKAGES` (``"not installed"`` if absent)."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def provenance_for(
    root: Path,
    release_ids: Iterable[str] | None,
    parameters: dict,
    defaults: dict,
    git: tuple[str, bool] | None = None,
    resolved: dict | None = None,
    lang: str = "en",
) -> Provenance:
    """Collect the provenance of one report.

    Args:
        root: the project root (holding ``data/raw/`` and the git repository).
        release_ids: the releases the report used (``le360/2025-10-17-slug``), or None for
            every release of ``releases.csv``. They are listed sorted.
        parameters: the notebook's parameters for this run (``{}`` for the defaults).
        defaults: the notebook's default parameters.
        git: the commit and dirty flag to state (:func:`git_state`, read once per run); read
            now when None.
        resolved: the values the run gave parameters whose default is a word (``latest``).
        lang: the language of the report's footer and navigation bar.

    Returns:
        The provenance, with each release's checksum of ``figures.csv`` (verified against
        ``data/raw/SHA256SUMS`` by the ingest step), status and date taken from the validated
        ``data/processed/releases.csv``, never from ``data/raw/``; the git commit
        is ``"unknown"`` (and the tree not dirty) when git is missing or ``root`` is not in a
        repository.

    Raises:
        ValueError: for a release id that ``releases.csv`` does not hold.
        FileNotFoundError: when releases are asked for and ``releases.csv`` is missing.
    """
    from digital_exports.tables.release_table import read_releases

    wanted = None if release_ids is None else sorted(set(release_ids))
    table = read_releases(root / "data" / "processed") if wanted != [] else {}
    wanted = sorted(table) if wanted is None else wanted
    unknown = [r for r in wanted if r not in table]
    if unknown:
        raise ValueError(f"release(s) {', '.join(unknown)} are not in data/processed/releases.csv")
    releases = [
        {
            "release_id": release_id,
            "data_status": table[release_id].get("data_status") or "unknown",
            "date_published": table[release_id].get("date_published") or "",
            "sha256": table[release_id].get("figures_sha256") or "",
        }
        for release_id in wanted
    ]
    commit, dirty = git if git is not None else git_state(root)
    return Provenance(
        releases=tuple(releases),
        parameters=dict(parameters),
        defaults=dict(defaults),
        git_commit=commit,
        git_dirty=dirty,
        versions=package_versions(),
        resolved=dict(resolved or {}),
        lang=lang if lang in REPORT_WORDS else "en",
    )


# --------------------------------------------------------------------------- HTML pieces


@functools.cache
def _pages() -> jinja2.Environment:
    """The templates of the index, footer and navigation bar, every inserted value escaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "pages"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_revealed,
    )


def _revealed(value: object) -> object:
    """A value inserted in a page: text from the data with its hidden characters shown
    (``base.text.reveal``); markup the package built, and other values, as they are."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return reveal(value)
    return value


def render_page(template: str, **values: object) -> str:
    """A page or section from ``templates/pages/``, every inserted value escaped."""
    return _pages().get_template(template).render(**values)


def _parameters(
    parameters: dict[str, object],
    defaults: dict[str, object],
    resolved: dict[str, object] | None = None,
    lang: str = "en",
) -> list[dict]:
    """Each parameter's value for the run, marked as default (with the value a word such as
    ``latest`` resolved to) or set for this run."""
    w = REPORT_WORDS[lang]
    resolved = resolved or {}
    rows = []
    for name in [*defaults, *(n for n in parameters if n not in defaults)]:
        if name in parameters and (name not in defaults or parameters[name] != defaults[name]):
            value = parameters[name]
            default = repr(defaults[name]) if name in defaults else None
            note, cls = w["not_declared"], "is-set"
        elif name in resolved:
            value, default, cls = resolved[name], None, "is-default"
            note = w["resolved"].format(word=repr(defaults[name]))
        else:
            value, default, note, cls = defaults[name], None, w["default"], "is-default"
        rows.append(
            {"name": name, "value": repr(value), "default": default, "note": note, "cls": cls}
        )
    return rows


def footer_html(provenance: Provenance) -> str:
    """The provenance footer of a report (``templates/pages/footer.html.j2``)."""
    p = provenance
    w = REPORT_WORDS[p.lang]
    releases = [
        {
            "release_id": r.get("release_id", ""),
            "data_status": w.get(r.get("data_status", ""), r.get("data_status", "")),
            "published": r.get("date_published") or w["no_date"],
            "sha256": r.get("sha256", ""),
            "sha256_shown": _short(r.get("sha256", "")),
        }
        for r in p.releases
    ]
    return (
        _pages()
        .get_template("footer.html.j2")
        .render(
            releases=releases,
            parameters=_parameters(p.parameters, p.defaults, p.resolved, p.lang),
            w=w,
            git_commit=p.git_commit,
            git_dirty=p.git_dirty,
            versions=list(p.versions.items()),
        )
    )


def _short(value: str) -> str:
    """A hash shortened for display (the full value goes in a title attribute)."""
    return value if len(value) <= SHORT_HASH else value[:SHORT_HASH] + "…"


def _nav_html(title: str, stem: str, with_code: bool, lang: str = "en") -> str:
    """The bar at the top of a report: its title and a link to its other version."""
    w = REPORT_WORDS[lang]
    if with_code:
        here, other, href = w["code"], w["reader"], f"{stem}.html"
    else:
        here, other, href = w["reader"], w["code"], f"{stem}.code.html"
    return (
        _pages()
        .get_template("nav.html.j2")
        .render(title=title, here=here, other=other, other_href=href, w=w)
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file and a
    rename (:func:`digital_exports.outputs.atomic_write`)."""
    atomic_write(path, text.replace("\r\n", "\n").encode("utf-8"))


# --------------------------------------------------------------------------- the last guard


class UnsafeReportError(ValueError):
    """A report that would run a script, follow a ``javascript:`` link or load a remote
    resource; it is not written."""


#: Attributes that make the browser fetch something when the page loads.
_LOADING_ATTRS = frozenset({"src", "srcset", "data", "poster", "background", "xlink:href"})
#: Elements that are never in a report: scripts, frames, plug-ins, forms, base and refresh.
_FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form"}
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
#: Control characters and the space, which a browser ignores in a URL's scheme.
_IGNORED_IN_SCHEME = dict.fromkeys(range(ord(" ") + 1))


def _scheme(url: str) -> str:
    """The scheme of ``url`` as a browser reads it (control characters and spaces ignored)."""
    # str.translate, not a generator over the characters: an image's data URI is 100 000 of
    # them, and this check runs on every page.
    cleaned = html.unescape(url).translate(_IGNORED_IN_SCHEME).lower()
    m = _SCHEME.match(cleaned)
    return m[1] if m else ""


class _Guard(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element")
        if tag == "meta" and any(
            k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs
        ):
            self.problems.append("a <meta http-equiv=refresh>")
        if tag == "link" and any(k == "href" for k, _ in attrs):
            self.problems.append("a <link href> (an external resource)")
        self._in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
            if name == "style":
                self._check_css(value, f"the style of <{tag}>")
            if name in ("href", "action", "formaction", *_LOADING_ATTRS):
                scheme = _scheme(value)
                if scheme in ("javascript", "vbscript"):
                    self.problems.append(f"a {scheme}: address in <{tag} {name}>")
                if name in _LOADING_ATTRS:
                    urls = [u.split()[0] for u in value.split(",") if u.strip()]
                    for url in urls if name == "srcset" else [value]:
                        if not _is_local_resource(url):
                            self.problems.append(f"<{tag} {name}={url[:60]!r}> is not local")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data, "a <style> block")

    def _check_css(self, css: str, where: str) -> None:
        if re.search(r"@import", css, re.IGNORECASE):
            self.problems.append(f"@import in {where}")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css, re.IGNORECASE):
            if not _is_local_resource(url):
                self.problems.append(f"url({url[:60]}) in {where}")


def _is_local_resource(url: str) -> bool:
    """A ``data:`` image or font, an in-page fragment or a relative path."""
    url = url.strip()
    scheme = _scheme(url)
    if scheme == "data":
        return not re.match(r"data:\s*text/html", url, re.IGNORECASE)
    parts = urlsplit(url)
    return not scheme and not parts.netloc and not url.startswith(("/", "\\"))


def unsafe_html(page: str) -> list[str]:
    """What in ``page`` would run code or fetch from outside the page's folder: scripts, event
    handlers, ``javascript:`` links, frames and plug-ins, remote images, stylesheets and CSS
    imports. Links to web pages (``<a href="https://...">``) are allowed: they load nothing."""
    guard = _Guard()
    guard.feed(page)
    guard.close()
    return guard.problems


# --------------------------------------------------------------------------- reports


@functools.lru_cache(maxsize=2)
def exporter(with_code: bool) -> HTMLExporter:
    """The HTML exporter of the reader's version (``with_code`` False) or the full version;
    built once per process, since loading the templates costs more than an export."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
        theme="light",
    )


def export_notebook(
    nb: nbformat.NotebookNode,
    out_dir: Path,
    stem: str,
    provenance: Provenance,
    title: str,
) -> list[Path]:
    """Write an executed notebook as two self-contained, offline HTML reports.

    Args:
        nb: the executed notebook (it is not modified).
        out_dir: the folder to write to (created if missing).
        stem: the file name without extension.
        provenance: what the run was made from, shown in the footer.
        title: the page title.

    Returns:
        ``[out_dir/<stem>.html, out_dir/<stem>.code.html]``: the reader's version (no code, no
        prompts) and the full version with the code. Images stay embedded as ``data:`` URIs.

    Raises:
        UnsafeReportError: when a page would run a script, follow a ``javascript:`` link or
            load a remote resource (:func:`unsafe_html`); neither file is then written.
    """
    nb = without_records(nb)  # a copy, without what the notebook recorded for the runner
    nb.metadata["title"] = title
    footer = footer_html(provenance)
    paths: list[Path] = []
    pages: list[str] = []
    for with_code, name in ((False, f"{stem}.html"), (True, f"{stem}.code.html")):
        resources = {
            "metadata": {"name": title},
            "report_css": _REPORT_CSS,
            "report_nav": _nav_html(title, stem, with_code, provenance.lang),
            "report_footer": footer,
        }
        body, _ = exporter(with_code).from_notebook_node(nb, resources=resources)
        problems = unsafe_html(body)
        if problems:
            raise UnsafeReportError(
                f"{name}: not written: the page would hold {'; '.join(sorted(set(problems)))}; "
                "expected only escaped text, local images and links to web pages"
            )
        paths.append(out_dir / name)
        pages.append(body)
    for path, body in zip(paths, pages, strict=True):
        _write_atomic(path, body)
    return paths


# --------------------------------------------------------------------------- index

_INDEX_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1f2328; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Noto Sans", "DejaVu Sans", sans-serif; font-size: 16px; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.25rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.3rem;
  border-bottom: 1px solid #d8dee4; }
p { margin: 0.5rem 0; max-width: 75ch; }
.vintage { display: inline-block; margin: 0.5rem 0; padding: 0.35rem 0.75rem;
  background: #fff8e5; border: 1px solid #f0d68a; border-radius: 6px; font-size: 0.95rem; }
a { color: #0b5cad; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: 0.85em; background: #f3f5f7; padding: 0.05rem 0.3rem;
  border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.75rem 0.45rem 0;
  border-bottom: 1px solid #e6eaef; }
th { font-weight: 600; border-bottom: 2px solid #c9d1d9; }
td.links a { white-space: nowrap; margin-right: 0.6rem; }
.muted { color: #656d76; }
.stale { color: #a40000; }
ul.params { list-style: none; margin: 0; padding: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 1.25rem; margin: 0.5rem 0; }
figure.chart { margin: 0; padding: 0.6rem; border: 1px solid #e1e5ea; border-radius: 8px;
  background: #fafbfc; }
figure.chart img { display: block; width: 100%; height: 190px; object-fit: contain;
  background: #fff; border-radius: 4px; }
figure.chart figcaption { margin-top: 0.5rem; font-size: 0.82rem; overflow-wrap: anywhere; }
figure.chart figcaption a { margin-right: 0.5rem; }
ul.tables { padding-left: 1.2rem; }
ul.tables li { margin: 0.25rem 0; }
.key-figures .headline { font-size: 1.1rem; font-weight: 600; max-width: none; }
.key-figures td a, .outlets td code { overflow-wrap: anywhere; }
"""


def _rel(path: Path, base: Path) -> str:
    """``path`` relative to the folder ``base``, POSIX style, for an ``href``."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def write_index(
    out_path: Path,
    project_title: str,
    intro: str,
    vintage: str,
    reports: list[dict],
    charts: list[Path],
    tables: list[Path],
    outputs_map: list[dict],
    what_changed: str = "",
    key_figures: str = "",
    outlets: str = "",
) -> Path:
    """Write the landing page of the reports: what the project is, its reports, charts and tables.

    Every link is relative to ``out_path``'s folder, so the folder tree can be moved or zipped;
    every inserted text is escaped.

    Args:
        out_path: where to write the page (``reports/index.html``).
        project_title: the page's title and heading.
        intro: a paragraph on what the project is (blank lines separate paragraphs).
        vintage: the data vintage line (which releases, up to when).
        reports: one mapping per report, in the order shown: ``title``, ``reader`` and ``code``
            (paths of the two HTML files), ``notebook`` (its path in the project, as text) and
            ``parameters`` (the run's parameters; ``{}`` for the defaults).
        charts: chart files (``.png``, ``.svg``); files of the same name but for the extension
            are one chart, with a PNG thumbnail where there is one. Listed sorted by name.
        tables: processed tables (``.csv``), listed sorted by name.
        outputs_map: one mapping per output, in the order shown: ``output`` (its path in the
            project), ``what`` it holds and the ``notebook`` that makes it. An output that
            names one of ``tables`` or ``charts`` is linked to it.
        what_changed: the "What changed" section, as HTML whose inserted texts are already
            escaped (``changes.section_html``).
        key_figures: the key figures section, as HTML whose texts are already escaped
            (``keyfigures.html_block``); shown first.
        outlets: the section on who printed what right, as HTML whose texts are already
            escaped (``keyfigures.outlets_block``).

    Returns:
        ``out_path``.

    Raises:
        FileNotFoundError: when a report, chart or table file does not exist (the page would
            have a broken link).
    """
    base = out_path.parent
    linked = [Path(r[k]) for r in reports for k in ("reader", "code")] + list(charts)
    linked += list(tables)
    missing = [str(p) for p in linked if not Path(p).is_file()]
    if missing:
        raise FileNotFoundError(f"index links to missing files: {', '.join(missing)}")
    page = (
        _pages()
        .get_template("index.html.j2")
        .render(
            title=project_title,
            css=markupsafe.Markup(_INDEX_CSS),
            intro=[" ".join(para.split()) for para in intro.split("\n\n") if para.strip()],
            vintage=vintage,
            what_changed=markupsafe.Markup(what_changed),
            key_figures=markupsafe.Markup(key_figures),
            outlets=markupsafe.Markup(outlets),
            codebook=(base / "codebook.html").is_file(),
            reports=[_report_entry(r, base) for r in reports],
            charts=_chart_entries(charts, base),
            tables=[
                {"href": _rel(t, base), "name": t.name, "size": _size(t)}
                for t in sorted((Path(t) for t in tables), key=lambda p: _rel(p, base))
            ],
            outputs=_output_entries(outputs_map, [Path(f) for f in [*tables, *charts]], base),
        )
    )
    _write_atomic(out_path, page + "\n")
    return out_path


def _report_entry(r: dict, base: Path) -> dict:
    return {
        "title": r["title"],
        "stale": bool(r.get("stale")),
        "reader": _rel(r["reader"], base),
        "code": _rel(r["code"], base),
        "notebook": r["notebook"],
        "parameters": [(k, repr(v)) for k, v in (r.get("parameters") or {}).items()],
    }


def _chart_entries(charts: list[Path], base: Path) -> list[dict]:
    """Charts grouped by name (a PNG and an SVG of the same chart are one), a PNG thumbnail."""
    groups: dict[str, list[Path]] = {}
    for chart in sorted((Path(c) for c in charts), key=lambda p: _rel(p, base)):
        groups.setdefault(_rel(chart.with_suffix(""), base), []).append(chart)
    entries = []
    for stem, files in groups.items():
        thumb = next((f for f in files if f.suffix.lower() == ".png"), files[0])
        name = Path(stem).name
        entries.append(
            {
                "thumb": _rel(thumb, base),
                "name": name,
                "name_pieces": name.split("_"),
                "files": [
                    {"href": _rel(f, base), "kind": f.suffix.lstrip(".").upper()} for f in files
                ],
            }
        )
    return entries


def _output_entries(outputs_map: list[dict], files: list[Path], base: Path) -> list[dict]:
    """Which notebook makes what, each output linked to its file where there is one."""
    entries = []
    for row in outputs_map:
        output = str(row["output"])
        target = next((f for f in files if f.as_posix().endswith("/" + output)), None)
        entries.append(
            {
                "output": output,
                "href": _rel(target, base) if target is not None else "",
                "what": row.get("what", ""),
                "notebook": row.get("notebook", ""),
            }
        )
    return entries
