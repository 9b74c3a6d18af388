"""How the forms engine's cost grows with the size of a form.

    python bench/bench_formsengine.py

Generates forms of 100 and 1,000 questions (pages of 10 questions; every other question shown only when an
earlier answer holds; every fifth page a repeating group with 3 items; one cross-question rule per page),
with a full set of answers, and times:

* loading the definition (YAML, schema, expressions parsed and type-checked);
* validate_form on the whole form;
* parse_page on every page, one page at a time, as a person filling in the form would (each call
  also works out which earlier answers are visible, so this total grows with pages x questions);
* summary for check your answers.

Linear means the time per question stays about the same: the 1,000-question time is about 10 times the
100-question time. Loading, validate_form and summary should stay close to 10; the page-by-page total is
quadratic by design (n pages each looking at the answers so far) and is shown for completeness.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formsengine import (  # noqa: E402
    load_definition_text,
    parse_page,
    raw_from_value,
    summary,
    validate_form,
)

TODAY = date(2026, 11, 23)
PER_PAGE = 10


def definition(questions: int) -> str:
    lines = ["code: bench_form", "title: Bench form", "version: 1", "rules:"]
    pages = questions // PER_PAGE
    for page in range(pages):
        if page % 5 == 4:
            continue
        first, second = f"q{page}_0", f"q{page}_2"
        lines += [
            f"  - code: rule_{page}",
            f"    check: {second} >= {first}",
            "    message: The third answer must be at least the first",
            f"    question: {second}",
        ]
    lines.append("groups:")
    for page in range(pages):
        lines += [f"  - code: page_{page}", f"    number: {page + 1}", f"    name: Page {page + 1}"]
        if page % 5 == 4:
            lines += ["    repeat: {min: 1, max: 5, item_name: entry}"]
        if page > 0:
            previous = page - 1
            reads = f"count(page_{previous}) >= 1" if previous % 5 == 4 else f"q{previous}_0 >= 0"
            lines.append(f"    show_if: {reads}")
        lines.append("    questions:")
        for index in range(PER_PAGE):
            code = f"q{page}_{index}"
            kind = ("integer", "text", "integer", "date", "choice")[index % 5]
            lines += [f"      - code: {code}", f"        label: Question {page}.{index}", f"        type: {kind}"]
            if kind == "choice":
                lines.append("        options: [a, b, c]")
            if index % 2 == 1:
                lines.append(f"        show_if: answered(q{page}_{index - 1}) and q{page}_0 >= 0")
            lines.append(
                "        restrictions: {mandatory: true"
                + (", max_length: 100" if kind == "text" else "")
                + (", min_value: 0" if kind == "integer" else "")
                + "}"
            )
    return "\n".join(lines) + "\n"


def answers_for(form) -> dict:
    values = {"integer": 5, "text": "Some text", "date": date(2020, 1, 1), "choice": "b"}
    answers: dict = {}
    for group in form.groups:
        item = {q.code: values[q.type.value] for q in group.questions}
        if group.repeating:
            answers[group.code] = [dict(item) for _ in range(3)]
        else:
            answers.update(item)
    return answers


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) if runs < 5 else statistics.median(times)


def measure(questions: int) -> dict[str, float]:
    text = definition(questions)
    form = load_definition_text(text, "bench.yaml")
    assert len(form.questions) == questions
    answers = answers_for(form)
    assert validate_form(form, answers, TODAY) == [], validate_form(form, answers, TODAY)[:3]

    def every_page() -> None:
        for group in form.groups:
            source = answers[group.code][0] if group.repeating else answers
            raw: dict = {}
            for question in group.questions:
                raw.update(raw_from_value(question, source.get(question.code)))
            result = parse_page(form, group.code, raw, answers, today=TODAY)
            assert result.is_valid, result.errors

    runs = 5
    return {
        "load": best_of(3, lambda: load_definition_text(text, "bench.yaml")),
        "validate_form": best_of(runs, lambda: validate_form(form, answers, TODAY)),
        "summary": best_of(runs, lambda: summary(form, answers, TODAY)),
        "parse_page (every page)": best_of(3, every_page),
    }


def main() -> int:
    small, large = measure(100), measure(1000)
    print(f"{'':26}{'100 questions':>16}{'1,000 questions':>18}{'ratio':>9}")
    worst = 0.0
    for name in small:
        ratio = large[name] / small[name]
        print(f"{name:26}{small[name] * 1000:13.2f} ms{large[name] * 1000:15.2f} ms{ratio:9.1f}")
        if name != "parse_page (every page)":
            worst = max(worst, ratio)
    print()
    print("10x the questions: a ratio near 10 is linear. parse_page over every page is expected to be ~100")
    print("(each page looks at the answers so far); one page stays linear in the size of the form.")
    verdict = "linear" if worst < 15 else "WORSE THAN LINEAR"
    print(f"load, validate_form, summary: worst ratio {worst:.1f} -> {verdict}")
    return 0 if worst < 15 else 1


if __name__ == "__main__":
    raise SystemExit(main())
