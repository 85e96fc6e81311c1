"""Parameter files (``--params-file``): plain YAML ``{step: [ {name: value}, ... ]}``, checked
against that shape before anything runs."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from digital_exports.base import yamlsafe
from digital_exports.run.params import ParameterError
from digital_exports.run.steps import MAX_PARAMETER_SETS, STEP_BY_NAME

#: The largest parameter file read, in bytes.
MAX_PARAMETER_FILE_BYTES = 256 * 1024


def _kind(value: object) -> str:
    """``a mapping``, ``a list``, ``an integer``... for a message about a YAML value."""
    kinds = {dict: "a mapping", list: "a list", int: "an integer", str: "a text", bool: "a boolean"}
    return kinds.get(type(value), f"a value of type {type(value).__name__}")


_EXPECTED = "a mapping of step names to lists of parameter sets ({step: [{name: value}]})"


def load_param_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    """A YAML parameter file: ``{step: [ {name: value}, ... ]}``, checked against that shape.

    Plain YAML only (no tags), at most :data:`MAX_PARAMETER_FILE_BYTES` bytes and
    :data:`MAX_PARAMETER_SETS` sets; each set a mapping of parameter names to integers or
    texts. The values are then checked against each notebook's parameters by
    :func:`~digital_exports.run.steps.plan_jobs`, where duplicate sets are merged.

    Raises:
        ParameterError: naming the file, the line, the step and the set, what was found and
            what was expected.
    """
    content, where = _parse(path)
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise where.error((), _kind(content), _EXPECTED)
    sets: dict[str, list[dict[str, Any]]] = {}
    n_sets = 0
    for step, items in content.items():
        _check_step(where, step, items)
        n_sets += len(items)
        if n_sets > MAX_PARAMETER_SETS:
            raise where.error(
                (step,),
                f"more than {MAX_PARAMETER_SETS} parameter sets",
                f"at most {MAX_PARAMETER_SETS} sets in one file",
            )
        for i, item in enumerate(items):
            _check_set(where, step, i, {} if item is None else item)
        sets[step] = [dict(item or {}) for item in items]
    return sets


class _Where:
    """Line numbers of the steps and sets of a parameter file, for messages."""

    def __init__(self, path: Path, tree: Any) -> None:
        import yaml

        self.path = path
        self.lines: dict[tuple[Any, ...], int] = {}
        if isinstance(tree, yaml.MappingNode):
            for key, value in tree.value:
                self.lines[(key.value,)] = key.start_mark.line + 1
                if isinstance(value, yaml.SequenceNode):
                    for i, item in enumerate(value.value):
                        self.lines[(key.value, i)] = item.start_mark.line + 1

    def error(self, where: tuple[Any, ...], found: str, wanted: str) -> ParameterError:
        line = self.lines.get(where) or self.lines.get(where[:1])
        at = f"{self.path}, line {line}" if line else str(self.path)
        if len(where) > 1:
            what = f" ({where[0]}, set {where[1] + 1})"
        else:
            what = f" ({where[0]})" if where else ""
        return ParameterError(f"{at}{what}: found {found}; expected {wanted}")


def _parse(path: Path) -> tuple[Any, _Where]:
    """The file's content and where its parts stand; plain YAML of a bounded size only."""
    import yaml

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParameterError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_PARAMETER_FILE_BYTES:
        raise ParameterError(
            f"{path}: {len(data)} bytes; expected a parameter file of at most "
            f"{MAX_PARAMETER_FILE_BYTES} bytes"
        )
    try:
        text = data.decode("utf-8")
        tree = yamlsafe.compose(text)
        content = yamlsafe.load(text)
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"{path}: not UTF-8 (byte {exc.start}); expected {_EXPECTED}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{path}, line {mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(
            f"{at}: {problem}; expected plain YAML (no tags such as !!python/..., no aliases, "
            f"at most {yamlsafe.MAX_DEPTH} levels deep): {_EXPECTED}"
        ) from None
    return content, _Where(path, tree)


def _check_step(where: _Where, step: Any, items: Any) -> None:
    if not isinstance(step, str) or step not in STEP_BY_NAME:
        close = difflib.get_close_matches(str(step), list(STEP_BY_NAME), n=3)
        raise where.error((step,), f"step {step!r}", "one of " + ", ".join(close or STEP_BY_NAME))
    if not isinstance(items, list):
        raise where.error((step,), _kind(items), "a list of parameter sets")


def _check_set(where: _Where, step: str, i: int, item: Any) -> None:
    if not isinstance(item, dict):
        raise where.error(
            (step, i),
            f"{_kind(item)} ({item!r})"[:120],
            "a mapping of parameter names to values ({year: 2023})",
        )
    for name, value in item.items():
        if not isinstance(name, str):
            raise where.error((step, i), f"the name {name!r}", "parameter names as text")
        if type(value) not in (int, str):
            raise where.error(
                (step, i), f"{name} = {value!r} ({_kind(value)})"[:160], "an integer or a text"
            )
