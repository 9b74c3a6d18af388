"""formsengine.yaml_export: a definition written as YAML reads back as the same definition."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formsengine import load_definition_file, load_definition_text
from formsengine.source import read_source
from formsengine.yaml_export import definition_to_yaml

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "form_definitions").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_shipped_form_exports_to_yaml_that_loads_to_an_equal_form(path):
    form = load_definition_file(path)
    text = definition_to_yaml(form.to_dict())
    again = load_definition_text(text, "exported.yaml")
    assert again.to_dict() == form.to_dict()
    assert again.fingerprint == form.fingerprint


def test_keys_come_in_reading_order_with_block_texts():
    text = definition_to_yaml(
        {
            "groups": [
                {
                    "questions": [{"type": "text", "label": "Name", "code": "name"}],
                    "name": "About",
                    "number": 1,
                    "code": "about",
                }
            ],
            "version": 1,
            "title": "A form",
            "code": "a_form",
            "guidance": "First paragraph.\n\nSecond paragraph.",
            "description": ("A long description " * 8).strip(),
        },
        header=False,
    )
    lines = text.splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == ["code", "title", "version", "description"]
    assert "guidance: |-" in lines
    assert "description: >-" in lines
    assert "  - code: about" in lines and "      - code: name" in lines
    assert text.index("label: Name") < text.index("type: text")


def test_the_same_object_twice_is_written_twice_without_aliases():
    options = [{"value": "a", "label": "A"}]
    question = {"code": "q1", "label": "Q1", "type": "choice", "options": options}
    text = definition_to_yaml({"code": "x", "groups": [{"questions": [question, {**question, "code": "q2"}]}]})
    assert "&" not in text and "*" not in text
    assert text.count("value: a") == 2


def test_texts_that_yaml_would_read_as_something_else_stay_texts():
    tricky = ["yes", "no", "on", "2027-09-01", "12", "1.5", "null", "~", "true", "- item", "#hash", "a: b", " lead"]
    definition = {"code": "x", "values": tricky}
    assert read_source(definition_to_yaml(definition)).data == definition


_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029\ufeff"), max_size=300
)


@settings(deadline=None)  # YAML of long texts takes a while on a busy machine; the result is what matters
@given(st.lists(_text, max_size=5))
def test_any_text_survives_the_round_trip(texts):
    definition = {"code": "x", "title": texts[0] if texts else "", "texts": texts}
    try:
        expected = read_source(definition_to_yaml(definition)).data
    except Exception as error:  # a control character the loader refuses is not ours to write
        assert "is not allowed" in str(error)
        return
    assert expected == definition
