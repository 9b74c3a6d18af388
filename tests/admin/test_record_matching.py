"""Matching a submission's child against known children: ranked candidates with reasons, linking,
confirming as new, the family's submissions, the audit trail and a bounded query count."""

from __future__ import annotations

import re
from datetime import date

from application_helpers import load_shipped_forms, make_child, make_parent, make_submitted_application, text_of
from helpers import count_queries, csrf_token_from, error_summary, page_title, sign_in_staff
from sqlalchemy import select

from portal.models import AuditEvent, Child, ChildRecordLink

DOB = date(2024, 3, 15)


def family(db, email: str, *, forename="Sam", surname="Parent", postcode="NN1 1AA", child="Ada", dob=DOB, ref=None):
    parent = make_parent(db, email=email, forename=forename, surname=surname)
    parent.postcode = postcode
    kid = make_child(db, parent, forename=child, dob=dob)
    kid.surname = surname
    application = make_submitted_application(db, parent, kid, reference=ref or f"2YO-TEST-{email[:4].upper()}")
    return parent, kid, application


def candidate_rows(html: str, table: str) -> list[str]:
    block = re.search(rf'id="{table}".*?<tbody[^>]*>(.*?)</tbody>', html, re.S)
    if not block:
        return []
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block.group(1), re.S)]


def link(staff, application_id: int, record: str):
    url = f"/admin/submissions/{application_id}/matching"
    page = staff.get(url).get_data(as_text=True)
    return staff.post(url, data={"csrf_token": csrf_token_from(page), "record": record})


def test_candidates_are_ranked_with_their_reasons(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _, _, application = family(db, "mum@example.com")
    _, twin, _ = family(db, "dad@example.com", forename="Tom")  # the same child, from the other parent
    _, sibling, _ = family(db, "gran@example.com", forename="Sam", child="Bob", dob=date(2022, 6, 1))
    family(
        db, "far@example.com", forename="Zed", surname="Other", postcode="LS1 1AA", child="Zoe", dob=date(2020, 1, 9)
    )
    staff = app.test_client()
    sign_in_staff(staff, db)

    submission = staff.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    assert f'href="/admin/submissions/{application.id}/matching"' in submission
    html = staff.get(f"/admin/submissions/{application.id}/matching").get_data(as_text=True)
    assert page_title(html).startswith("Match records")
    children = candidate_rows(html, "child-candidates")
    assert len(children) == 2  # Zoe Other shares nothing and is not listed
    assert children[0].startswith("Ada Parent 15 March 2024 Tom Parent NN1 1AA 100")
    assert "Same surname; Same forename; Same date of birth; Same postcode" in children[0]
    assert children[1].startswith("Bob Parent") and "Same surname; Same postcode" in children[1]
    people = candidate_rows(html, "people-candidates")
    assert [p.split(" ")[0:2] for p in people] == [["Sam", "Parent"], ["Tom", "Parent"]]
    assert "Same surname; Same forename; Same postcode" in people[0]
    assert f'value="{twin.id}"' in html and f'value="{sibling.id}"' in html and 'value="new"' in html
    assert "Not matched yet" in text_of(html)


def test_linking_gathers_the_familys_submissions_and_is_audited(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _, known, first = family(db, "dad@example.com", forename="Tom", ref="2YO-TEST-FIRST")
    _, ada, second = family(db, "mum@example.com", ref="2YO-TEST-SECOND")
    _, ada_again, third = family(db, "mum2@example.com", ref="2YO-TEST-THIRD")
    staff = app.test_client()
    user = sign_in_staff(staff, db)

    assert link(staff, first.id, "new").status_code == 302
    saved = link(staff, second.id, str(known.id))
    assert saved.headers["Location"].endswith(f"/admin/submissions/{second.id}/matching?saved=1")
    # Linking to a child that is itself linked goes to its record: never a chain.
    assert link(staff, third.id, str(ada.id)).status_code == 302

    db.expire_all()
    links = {row.child_id: row.record_id for row in db.scalars(select(ChildRecordLink))}
    assert links == {known.id: known.id, ada.id: known.id, ada_again.id: known.id}
    html = staff.get(f"/admin/submissions/{third.id}/matching?saved=1").get_data(as_text=True)
    assert "The match has been saved." in html and "Linked to a known child" in text_of(html)
    submissions = candidate_rows(html, "family-submissions")
    assert sorted(row.split(" ")[0] for row in submissions) == ["2YO-TEST-FIRST", "2YO-TEST-SECOND", "2YO-TEST-THIRD"]
    assert candidate_rows(html, "child-candidates") == []  # the linked children are one record now

    events = db.scalars(select(AuditEvent).where(AuditEvent.action.in_(["child_linked", "child_confirmed_new"])))
    seen = sorted((e.action, e.object_id, e.actor_id, e.details["record_id"]) for e in events)
    assert seen == sorted(
        [
            ("child_confirmed_new", str(first.id), user.id, known.id),
            ("child_linked", str(second.id), user.id, known.id),
            ("child_linked", str(third.id), user.id, known.id),
        ]
    )


def test_a_linked_record_moving_takes_its_linked_children_with_it(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _, a, first = family(db, "a@example.com")
    _, b, second = family(db, "b@example.com")
    _, c, third = family(db, "c@example.com")
    staff = app.test_client()
    sign_in_staff(staff, db)
    link(staff, second.id, str(a.id))  # b -> a
    link(staff, first.id, str(c.id))  # a (and so b) -> c
    db.expire_all()
    assert {r.child_id: r.record_id for r in db.scalars(select(ChildRecordLink))} == {a.id: c.id, b.id: c.id}
    assert db.get(Child, c.id) is not None


def test_no_choice_is_an_error_and_changes_nothing(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _, _, application = family(db, "mum@example.com")
    _, other, _ = family(db, "stranger@example.com", surname="Other", postcode="LS1 1AA", dob=date(2020, 1, 2))
    staff = app.test_client()
    sign_in_staff(staff, db)
    url = f"/admin/submissions/{application.id}/matching"
    token = csrf_token_from(staff.get(url).get_data(as_text=True))
    for data in ({}, {"record": str(other.id)}, {"record": "999999"}):  # nothing, not a candidate, unknown
        response = staff.post(url, data={"csrf_token": token, **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert page_title(html).startswith("Error: Match records")
        assert error_summary(html)
    assert db.scalars(select(ChildRecordLink)).all() == []


def test_the_page_costs_the_same_number_of_queries_however_many_candidates(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    _, _, application = family(db, "mum@example.com")
    staff = app.test_client()
    sign_in_staff(staff, db)
    counts = []
    for batch in range(2):
        for n in range(1 + batch * 8):
            family(db, f"k{batch}{n}@example.com", ref=f"2YO-TEST-K{batch}{n:02d}")
        with count_queries(app) as statements:
            html = staff.get(f"/admin/submissions/{application.id}/matching").get_data(as_text=True)
        counts.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
        assert len(candidate_rows(html, "child-candidates")) == 1 + batch * 9
    assert counts[0] == counts[1], counts


def test_a_submission_without_a_child_has_no_matching_page(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    parent = make_parent(db)
    application = make_submitted_application(db, parent, None)
    staff = app.test_client()
    sign_in_staff(staff, db)
    assert staff.get(f"/admin/submissions/{application.id}/matching").status_code == 404
    assert staff.get("/admin/submissions/999999/matching").status_code == 404
