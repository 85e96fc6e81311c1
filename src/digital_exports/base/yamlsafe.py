"""A bounded safe YAML loader for the files a user or a transcriber writes (``release.yml``, a
parameter file): no tags (PyYAML's safe loader), no aliases (a few lines of ``&a``/``*a`` can
expand to gigabytes: the "billion laughs"), and a bounded nesting depth (a file nested thousands
deep would exhaust the parser's recursion). Dates stay text, so that a bad date is reported
rather than parsed."""

from __future__ import annotations

from typing import Any

import yaml

#: The deepest nesting a file may have (``release.yml`` needs 2, a parameter file 3).
MAX_DEPTH = 20


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases and nesting deeper than :data:`MAX_DEPTH`."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name) is not allowed; write the value out", event.start_mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    """The YAML document in ``text``, read with :class:`BoundedLoader`.

    Raises:
        yaml.YAMLError: for invalid YAML, a tag, an alias or too deep a nesting.
    """
    return yaml.load(text, Loader=BoundedLoader)


def compose(text: str) -> Any:
    """The node tree of ``text`` (for line numbers), read with :class:`BoundedLoader`."""
    return yaml.compose(text, Loader=BoundedLoader)
