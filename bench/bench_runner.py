"""How fast the form runner serves a page, and that its SQL does not grow with the number of submissions.

    python bench/bench_runner.py

Builds the portal on a temporary SQLite database with the shipped forms, one signed-in parent with a draft,
and measures in the same run:

* requests per second for a form page (GET, then POST that validates and saves the draft, then the
  redirect), against a bare Flask page rendered with the same GOV.UK layout as the baseline;
* SQL statements per page (home, My Family, a form page GET and POST, check your answers) with 10 and
  then 10,000 existing submissions by other families: the two counts must be equal.

Exits 1 when a query count differs.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from flask import render_template_string  # noqa: E402
from helpers import DEFAULT_PASSWORD, app_config, count_queries, csrf_token_from, make_user  # noqa: E402
from sqlalchemy import create_engine, insert  # noqa: E402

from portal import create_app, migrate  # noqa: E402
from portal.models import Application, ApplicationStatus, Child, FormVersion, utcnow  # noqa: E402
from portal.services.forms import definition_files, load_definitions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FORM = "/apply/two_year_old_funding"
CLAIM = {"claim_route": "non_economic"}
SECONDS = 3.0


def build():
    logging.disable(logging.CRITICAL)
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate.upgrade(create_engine(url))
    app = create_app(app_config(url, folder, TESTING=False, RATELIMIT_ENABLED=False))

    @app.get("/bench-bare")
    def bare():
        return render_template_string('{% extends "layout.html" %}{% block title %}Bare{% endblock %}')

    db = app.extensions["db_sessionmaker"]()
    assert load_definitions(db, definition_files(ROOT / "form_definitions")).ok
    parent = make_user(db, email="bench@example.com")
    child = Child(
        parent_id=parent.id,
        forename="Ada",
        surname="Bench",
        date_of_birth=utcnow().date().replace(year=utcnow().year - 2, month=1, day=15),
        gender="female",
    )
    db.add(child)
    db.commit()
    client = app.test_client()
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    client.post("/sign-in", data={"csrf_token": token, "email": parent.email, "password": DEFAULT_PASSWORD})
    token = csrf_token_from(client.get(FORM).get_data(as_text=True))
    client.post(FORM, data={"csrf_token": token, "child": str(child.id)})
    return app, db, client, token


def rate(action) -> float:
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        action()
        count += 1
    return count / (time.perf_counter() - start)


def add_submissions(db, total: int) -> None:
    other = make_user(db, email=f"other{total}@example.com")
    version = db.query(FormVersion).filter_by(code="two_year_old_funding").first()
    now = utcnow()
    rows = [
        {
            "user_id": other.id,
            "form_version_id": version.id,
            "form_code": version.code,
            "status": ApplicationStatus.SUBMITTED,
            "answers": {"claim_route": "economic"},
            "reference": f"2YO-B{total:03d}-{n:05d}"[:20],
            "row_version": 1,
            "created_at": now,
            "updated_at": now,
            "submitted_at": now,
        }
        for n in range(total)
    ]
    db.execute(insert(Application), rows)
    db.commit()


def query_counts(app, client, token) -> dict[str, int]:
    counts = {}
    steps = [
        ("GET /", lambda: client.get("/")),
        ("GET /family", lambda: client.get("/family")),
        (f"GET {FORM}/claim", lambda: client.get(f"{FORM}/claim")),
        (f"POST {FORM}/claim", lambda: client.post(f"{FORM}/claim", data={"csrf_token": token, **CLAIM})),
        (f"GET {FORM}/check", lambda: client.get(f"{FORM}/check")),
    ]
    for name, step in steps:
        with count_queries(app) as statements:
            step()
        counts[name] = len(statements)
    return counts


def main() -> int:
    app, db, client, token = build()
    page = rate(
        lambda: (client.post(f"{FORM}/claim", data={"csrf_token": token, **CLAIM}), client.get(f"{FORM}/claim"))
    )
    bare = rate(lambda: client.get("/bench-bare"))
    print(f"form page GET+POST: {page:8.1f} pairs/s")
    print(f"bare Flask page:    {bare:8.1f} requests/s")
    print(f"ratio (bare / form pair): {bare / page:.1f}x")

    add_submissions(db, 10)
    few = query_counts(app, client, token)
    add_submissions(db, 9_990)
    many = query_counts(app, client, token)
    ok = True
    print(f"{'page':40} {'10':>6} {'10,000':>8}")
    for name in few:
        same = few[name] == many[name]
        ok &= same
        print(f"{name:40} {few[name]:>6} {many[name]:>8} {'' if same else '  <- grows!'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
