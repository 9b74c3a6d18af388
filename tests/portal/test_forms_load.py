"""`flask --app portal forms load PATH`: idempotent, versioned, and all-or-nothing per file."""

import shutil
from pathlib import Path

from portal.models import FormStatus, FormVersion

SHIPPED = Path(__file__).resolve().parents[2] / "form_definitions"
SHIPPED_CODES = {
    "two_year_old_funding",
    "thirty_hours_check",
    "thirty_hours_foster_carer",
    "send_request_for_assessment",
}


def load(app, path):
    return app.test_cli_runner().invoke(args=["forms", "load", str(path)])


def test_the_shipped_forms_load_and_loading_again_changes_nothing(app, db):
    first = load(app, SHIPPED)
    assert first.exit_code == 0, first.output
    assert {row.code for row in db.query(FormVersion)} == SHIPPED_CODES
    assert all(row.version == 1 and row.status is FormStatus.LIVE for row in db.query(FormVersion))
    second = load(app, SHIPPED)
    assert second.exit_code == 0
    assert second.output.count("Unchanged") == len(SHIPPED_CODES)
    assert db.query(FormVersion).count() == len(SHIPPED_CODES)


def test_a_changed_definition_becomes_version_2_and_retires_version_1(app, db, tmp_path):
    definition = tmp_path / "thirty_hours_check.yaml"
    shutil.copy(SHIPPED / "thirty_hours_check.yaml", definition)
    load(app, definition)
    text = definition.read_text()
    assert "\ntitle: Check your 30 hours eligibility code" in text
    definition.write_text(text.replace("title: Check your", "title: Check a", 1))
    result = load(app, definition)
    assert "Loaded thirty_hours_check v2" in result.output, result.output
    versions = {row.version: row.status for row in db.query(FormVersion).filter_by(code="thirty_hours_check")}
    assert versions == {1: FormStatus.RETIRED, 2: FormStatus.LIVE}


def test_a_broken_file_is_reported_with_its_line_and_loads_nothing_while_others_load(app, db, tmp_path):
    shutil.copy(SHIPPED / "thirty_hours_check.yaml", tmp_path / "good.yaml")
    broken = (SHIPPED / "thirty_hours_foster_carer.yaml").read_text() + "\n  : this line is not YAML: [\n"
    (tmp_path / "broken.yaml").write_text(broken)
    result = load(app, tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path / 'broken.yaml'}:" in result.output
    assert {row.code for row in db.query(FormVersion)} == {"thirty_hours_check"}


def test_live_forms_are_listed_on_the_home_page(app, client):
    load(app, SHIPPED)
    html = client.get("/").get_data(as_text=True)
    assert "What you can apply for" in html
    assert html.count("<li>") >= len(SHIPPED_CODES)
