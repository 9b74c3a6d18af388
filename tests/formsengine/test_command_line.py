"""python -m formsengine check / validate (named test_command_line: tests/portal has a test_cli.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from formsengine.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "form_definitions").glob("*.yaml"))
TWO_YEAR_OLD = ROOT / "form_definitions" / "two_year_old_funding.yaml"


def test_check_shipped_definitions_exits_0(capsys):
    assert main(["check", *map(str, SHIPPED)]) == 0
    assert "4 form definition(s) valid" in capsys.readouterr().out


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "formsengine", "check", *map(str, SHIPPED)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr


def break_copy(tmp_path, path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    copy = tmp_path / path.name
    copy.write_text(text.replace(old, new, 1))
    return copy, text[: text.index(old)].count("\n") + 1


def breakages(text):
    """Five ways to break a definition, built from its own first two questions."""
    codes = [line.split("code: ")[1] for line in text.splitlines() if line.startswith("      - code: ")]
    first, second = codes[0], codes[1]
    first_type = next(line for line in text.splitlines() if line.startswith("        type: "))
    at_first = f"      - code: {first}\n"
    return {
        "unknown question in condition": (at_first, f"{at_first}        show_if: nope = 'x'\n",
                                          "unknown question 'nope' in condition"),
        "duplicate code": (f"      - code: {second}\n", at_first, f"code '{first}' is used more than once"),
        "bad type": (first_type, "        type: national_insurance", "unknown type 'national_insurance'"),
        "unparseable expression": (at_first, f"{at_first}        show_if: a = = 'x'\n", "cannot read the condition"),
        "YAML syntax error": (at_first, f"      - code: [{first}\n", "YAML syntax error"),
    }


BREAKAGE_NAMES = sorted(breakages(TWO_YEAR_OLD.read_text()))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("breakage", BREAKAGE_NAMES)
def test_broken_copy_of_each_shipped_form_exits_1_with_line_and_reason(tmp_path, capsys, path, breakage):
    old, new, reason = breakages(path.read_text())[breakage]
    copy, line = break_copy(tmp_path, path, old, new)
    assert main(["check", str(copy)]) == 1
    err = capsys.readouterr().err
    assert reason in err
    assert any(f"{copy}:{n}:" in err for n in (line, line + 1, line + 2)), err


def test_check_reports_every_file(tmp_path, capsys):
    first, _ = break_copy(tmp_path, TWO_YEAR_OLD, "type: ni_number", "type: nino")
    (tmp_path / "other").mkdir()
    second = tmp_path / "other" / "x.yaml"
    second.write_text("code: x\n")
    assert main(["check", str(first), str(second), str(SHIPPED[0])]) == 1
    err = capsys.readouterr().err
    assert str(first) in err and str(second) in err and "in 2 of 3 file(s)" in err


def write_answers(tmp_path, answers):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    return str(path)


def test_validate_prints_visible_pages_and_errors(tmp_path, capsys):
    answers = write_answers(tmp_path, {"claim_route": "other_council", "child_date_of_birth": "2025-01-01"})
    assert main(["validate", str(TWO_YEAR_OLD), answers, "--today", "2026-11-23"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["visible_pages"] == ["parent", "address", "child", "claim", "other_council", "evidence"]
    assert {"question": "parent_first_name", "code": "required", "message": "Enter your first name"}.items() <= \
        result["errors"][0].items()
    assert {"evidence", "other_council_name"} <= {e["question"] for e in result["errors"]}


def test_validate_exits_0_when_there_are_no_errors(tmp_path, capsys):
    form = ROOT / "form_definitions" / "thirty_hours_check.yaml"
    answers = write_answers(tmp_path, {"eligibility_code": "50012345678", "parent_ni_number": "AB123456C",
                                       "child_date_of_birth": "2023-05-01"})
    assert main(["validate", str(form), answers, "--today", "2026-11-23"]) == 0
    assert json.loads(capsys.readouterr().out)["errors"] == []


def test_validate_with_a_broken_form_or_answers(tmp_path, capsys):
    broken, _ = break_copy(tmp_path, TWO_YEAR_OLD, "type: ni_number", "type: nino")
    assert main(["validate", str(broken), write_answers(tmp_path, {})]) == 1
    assert main(["validate", str(TWO_YEAR_OLD), str(tmp_path / "missing.json")]) == 1
    assert main(["validate", str(TWO_YEAR_OLD), write_answers(tmp_path, [1, 2])]) == 1
    err = capsys.readouterr().err
    assert "unknown type 'nino'" in err and "cannot read the answers" in err and "must be a JSON object" in err


def test_bad_today_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(TWO_YEAR_OLD), write_answers(tmp_path, {}), "--today", "tomorrow"])
    assert exited.value.code == 2
