"""Small factories for the forms engine tests: definitions are written inline, next to the assertion."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from formsengine import DefinitionError, Form, load_definition_file, load_definition_text

TODAY = date(2026, 11, 23)
FORM_DEFINITIONS = Path(__file__).resolve().parents[2] / "form_definitions"


def form_yaml(groups: str, *, extra: str = "", code: str = "test_form") -> str:
    """A whole definition around ``groups`` (YAML for the list of groups, indented by 2)."""
    head = f"code: {code}\ntitle: Test form\nversion: 1\n"
    return head + textwrap.dedent(extra) + "groups:\n" + textwrap.indent(textwrap.dedent(groups), "  ")


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def load() -> Callable[..., Form]:
    """load(groups_yaml, extra=...) -> Form."""

    def _load(groups: str, *, extra: str = "", code: str = "test_form") -> Form:
        return load_definition_text(form_yaml(groups, extra=extra, code=code), "test.yaml")

    return _load


@pytest.fixture
def problems() -> Callable[..., list]:
    """problems(full_yaml_text) -> the DefinitionError's problems (fails if it loads)."""

    def _problems(text: str) -> list:
        with pytest.raises(DefinitionError) as caught:
            load_definition_text(textwrap.dedent(text), "broken.yaml")
        return caught.value.problems

    return _problems


@pytest.fixture
def one_question(load) -> Callable[..., Form]:
    """one_question("type: date\\nrestrictions: {in_the_past: true}") -> a form with question 'q'."""

    def _one(body: str, label: str = "Answer") -> Form:
        # The body's first line may sit at any indent; the lines after it are indented as a block.
        lines = [line for line in body.strip("\n").splitlines()]
        first, rest = lines[0].strip(), textwrap.dedent("\n".join(lines[1:]))
        keys = textwrap.indent(first + ("\n" + rest if rest.strip() else ""), " " * 6)
        group = f"- code: page\n  number: 1\n  name: Page\n  questions:\n    - code: q\n      label: {label}\n{keys}\n"
        return load(group)

    return _one


@pytest.fixture(scope="session")
def shipped_forms() -> dict[str, Form]:
    return {path.stem: load_definition_file(path) for path in sorted(FORM_DEFINITIONS.glob("*.yaml"))}
