"""Command line for administrators and CI.

    python -m formsengine check FILE...                 # exit 0 when every file is valid, else 1
    python -m formsengine validate FORM_FILE ANSWERS_JSON [--today YYYY-MM-DD]
        # prints {"visible_pages": [...], "errors": [...]} as JSON; exit 1 when there are errors

ANSWERS_JSON holds answers as the portal stores them (``formsengine.to_json``): question code -> value,
dates as ``YYYY-MM-DD``, repeating groups as lists of objects.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from formsengine.errors import DefinitionError
from formsengine.loader import check_definition_files, load_definition_file
from formsengine.runtime import from_json, validate_form, visible_groups


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-09-01") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m formsengine", description="Check and try out form definitions."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check form definition files; report every problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    validate = commands.add_parser("validate", help="validate answers (JSON) against a form definition")
    validate.add_argument("form_file", metavar="FORM_FILE")
    validate.add_argument("answers_file", metavar="ANSWERS_JSON")
    validate.add_argument(
        "--today", type=_iso_date, default=None, help="the date to validate on (default: today)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        problems = check_definition_files(args.files)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            files = len({p.file for p in problems})
            print(f"{len(problems)} problem(s) in {files} of {len(args.files)} file(s)", file=sys.stderr)
            return 1
        print(f"{len(args.files)} form definition(s) valid")
        return 0
    try:
        form = load_definition_file(args.form_file)
    except DefinitionError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    try:
        data = json.loads(Path(args.answers_file).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{args.answers_file}: cannot read the answers: {exc}", file=sys.stderr)
        return 1
    if not isinstance(data, dict):
        print(f"{args.answers_file}: the answers must be a JSON object", file=sys.stderr)
        return 1
    today = args.today or date.today()
    answers = from_json(form, data)
    errors = validate_form(form, answers, today)
    result = {
        "form": form.code,
        "version": form.version,
        "visible_pages": [group.code for group in visible_groups(form, answers, today)],
        "errors": [error.to_dict() for error in errors],
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if errors else 0
