"""Reading definition text (YAML, or JSON) into plain data plus a map from path to line number.

The loader is ``yaml.SafeLoader`` with two YAML 1.1 surprises removed, so a definition means what it
says: ``yes``/``no``/``on``/``off`` stay strings (an option value ``no`` must not become ``False``) and
unquoted dates stay strings (the schema checks them). Duplicate keys, which YAML silently collapses, are
reported. Every mapping key and sequence item records the line it starts on; ``line_for`` finds the
nearest recorded line for any path, so schema errors and semantic errors point at the right line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


class _DefinitionLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        # Aliases let a small file expand into a huge (or self-referencing) tree; forms don't need them.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (& and *) are not allowed in form definitions",
                event.start_mark,
            )
        return super().compose_node(parent, index)


# Copy SafeLoader's resolvers, leaving out bool (re-added as true/false only) and timestamp.
_DefinitionLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DefinitionLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class SourceDocument:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, int]] = field(default_factory=list)

    def line_for(self, path: Sequence[str | int]) -> int | None:
        """Line of ``path``, or of its nearest recorded ancestor."""
        parts = tuple(path)
        while parts:
            line = self.lines.get(parts)
            if line is not None:
                return line
            parts = parts[:-1]
        return self.lines.get((), None)


class SourceSyntaxError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


def read_source(text: str) -> SourceDocument:
    """Parse YAML (or JSON) ``text``. Raises ``SourceSyntaxError`` with a line number."""
    try:
        loader = _DefinitionLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character in the text
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise SourceSyntaxError(f"character {exc.character!r} is not allowed in a definition", line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return SourceDocument(data=None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = ": ".join(part for part in (exc.context, exc.problem) if part)
        # A JSON file indented with tabs is valid JSON but not valid YAML: fall back to the JSON parser.
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise SourceSyntaxError(reason or "not valid YAML", mark.line + 1 if mark else None) from None
        return SourceDocument(data=data)
    except (yaml.YAMLError, ValueError, RecursionError, TypeError) as exc:
        raise SourceSyntaxError(f"not valid YAML: {exc}", None) from None
    finally:
        loader.dispose()
    document = SourceDocument(data=data, lines={(): node.start_mark.line + 1})
    _record_lines(node, (), document)
    return document


def _record_lines(node: yaml.Node, path: Path, document: SourceDocument) -> None:
    stack: list[tuple[yaml.Node, Path]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in current.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
                child = (*where, key)
                line = key_node.start_mark.line + 1
                if key in seen:
                    document.duplicate_keys.append((child, line))
                    continue
                seen.add(key)
                document.lines[child] = line
                stack.append((value_node, child))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                child = (*where, index)
                document.lines[child] = item.start_mark.line + 1
                stack.append((item, child))


def format_path(path: Sequence[str | int]) -> str:
    """``("groups", 2, "questions", 0, "show_if")`` -> ``"groups[2].questions[0].show_if"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
