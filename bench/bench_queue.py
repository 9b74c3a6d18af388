"""The review queue's keyset pagination on PostgreSQL: is page 500 as fast as page 1?

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench python bench/bench_queue.py [--million]

The database named by DATABASE_URL is DROPPED AND RECREATED (schema public): use a scratch database.
It seeds 100,000 submitted applications (1,000,000 with --million) with parents, children and some
assignments, then times, for the queue's default view (waiting for a decision, oldest first, 50 rows):

* page 1 and page 500 through `review_queue.queue_page` (the query the page runs, cursor decoded),
* the raw indexed SQL for the same rows (a bare keyset SELECT on applications),

and prints each page's time next to the raw SQL's and the ratio (goal: page 500 / page 1 <= 2), and the
number of queries a queue page makes (constant: the page runs one query for its rows).
Without a PostgreSQL DATABASE_URL it says so and exits 0, so `make bench` still runs the others.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from portal import migrate  # noqa: E402
from portal.services import review_queue  # noqa: E402

PAGE_SIZE = 50
PAGES = 500


def seed(engine, rows: int) -> None:
    with engine.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    parents = max(rows // 2, 1)
    with engine.begin() as c:
        c.execute(text("DELETE FROM message_template_decisions"))
        c.execute(text("DELETE FROM message_templates"))
        c.execute(
            text(
                "INSERT INTO form_versions (code, version, title, status, fingerprint, definition, created_at) "
                "VALUES ('two_year_old_funding', 1, 'Funded childcare for 2-year-olds', 'live', 'bench', '{}', now())"
            )
        )
        c.execute(
            text(
                "INSERT INTO users (email, email_normalised, password_hash, role, status, forename, surname, postcode, "
                "created_at, two_step_method, two_step_failures) "
                "SELECT 'p' || g || '@example.com', 'p' || g || '@example.com', 'x', 'parent', 'active', 'Sam', "
                "'Surname' || g, 'NN' || (g % 9 + 1) || ' 1AA', now(), 'none', 0 FROM generate_series(1, :n) g"
            ),
            {"n": parents},
        )
        c.execute(
            text(
                "INSERT INTO users (email, email_normalised, password_hash, role, status, forename, surname, "
                "created_at, two_step_method, two_step_failures) VALUES "
                "('case@example.com', 'case@example.com', 'x', 'caseworker', 'active', 'Jane', 'Smith', now(), "
                "'app', 0)"
            )
        )
        c.execute(
            text(
                "INSERT INTO children (parent_id, forename, surname, date_of_birth, created_at) "
                "SELECT id, 'Ada', surname, DATE '2024-03-15', now() FROM users WHERE role = 'parent'"
            )
        )
        c.execute(
            text(
                "INSERT INTO applications (user_id, child_id, form_version_id, form_code, status, answers, reference, "
                "row_version, created_at, updated_at, submitted_at) "
                "SELECT c.parent_id, c.id, (SELECT id FROM form_versions LIMIT 1), 'two_year_old_funding', "
                "(ARRAY['submitted','in_review','resubmitted','approved'])[g % 4 + 1], '{}', "
                "'2YO-' || lpad(g::text, 9, '0'), 1, now(), now(), "
                "timestamptz '2026-01-01' + (g || ' minutes')::interval "
                "FROM generate_series(1, :n) g JOIN children c ON c.id = (g % :parents) + "
                "(SELECT min(id) FROM children)"
            ),
            {"n": rows, "parents": parents},
        )
        c.execute(
            text(
                "INSERT INTO review_assignments (application_id, assignee_id, assigned_at) "
                "SELECT id, (SELECT id FROM users WHERE role = 'caseworker'), now() FROM applications WHERE id % 7 = 0"
            )
        )
        c.execute(text("ANALYZE"))


def timed(function, repeat: int = 7) -> float:
    function()  # warm the cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


RAW = text(
    "SELECT id FROM applications WHERE status IN ('submitted', 'in_review', 'resubmitted') "
    "AND (submitted_at, id) > (:at, :id) ORDER BY submitted_at, id LIMIT :limit"
)
RAW_FIRST = text(
    "SELECT id FROM applications WHERE status IN ('submitted', 'in_review', 'resubmitted') "
    "ORDER BY submitted_at, id LIMIT :limit"
)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("bench_queue: set DATABASE_URL to a scratch PostgreSQL database to run it (skipped)")
        return 0
    rows = 1_000_000 if "--million" in sys.argv else 100_000
    engine = create_engine(url)
    started = time.perf_counter()
    seed(engine, rows)
    print(f"seeded {rows:,} applications in {time.perf_counter() - started:.1f}s")
    filters = review_queue.QueueFilters()
    with Session(engine) as db:
        cursor = None
        cursors = [None]
        for _ in range(PAGES - 1):  # walk to page 500 once, as a caseworker clicking Next would
            page = review_queue.queue_page(db, filters, cursor, page_size=PAGE_SIZE, age_warning_days=5)
            cursor = page.next_cursor
            cursors.append(cursor)
        last = review_queue.decode_cursor(cursors[-1])
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

        def page_at(c):
            return lambda: review_queue.queue_page(db, filters, c, page_size=PAGE_SIZE, age_warning_days=5)

        first_ms = timed(page_at(cursors[0]))
        statements.clear()
        page_at(cursors[-1])()
        queries_per_page = len(statements)
        last_ms = timed(page_at(cursors[-1]))
        raw_first_ms = timed(lambda: db.execute(RAW_FIRST, {"limit": PAGE_SIZE + 1}).all())
        raw_last_ms = timed(lambda: db.execute(RAW, {"at": last[0], "id": last[1], "limit": PAGE_SIZE + 1}).all())
        plan = db.execute(text("EXPLAIN " + str(RAW.compile(compile_kwargs={}))), {"at": last[0], "id": last[1],
                          "limit": PAGE_SIZE + 1}).scalars().all()  # fmt: skip
    print(f"{'':12}{'queue page':>14}{'raw SQL':>12}")
    print(f"{'page 1':12}{first_ms:>12.2f}ms{raw_first_ms:>10.2f}ms")
    print(f"{'page 500':12}{last_ms:>12.2f}ms{raw_last_ms:>10.2f}ms")
    print(f"page 500 / page 1: {last_ms / first_ms:.2f} (goal <= 2)")
    print(f"queries per queue page: {queries_per_page}")
    print("raw SQL plan for page 500:\n  " + "\n  ".join(plan[:4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
