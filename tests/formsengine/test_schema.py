"""The published JSON Schema: itself valid, and it accepts the shipped definitions."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from formsengine import definition_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "formsengine" / "schema" / "form-definition.schema.json"
DEFINITIONS = sorted((Path(__file__).resolve().parents[2] / "form_definitions").glob("*.yaml"))


def test_schema_is_valid_draft_2020_12():
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_is_shipped_with_the_package():
    assert definition_schema() == json.loads(SCHEMA_FILE.read_text())


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_shipped_definitions_match_the_schema(path):
    validator = jsonschema.Draft202012Validator(definition_schema())
    assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == []


def test_every_data_type_is_in_the_schema():
    from formsengine import DataType

    enum = definition_schema()["$defs"]["question"]["properties"]["type"]["enum"]
    assert set(enum) == {t.value for t in DataType}
