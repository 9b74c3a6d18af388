"""A caseworker clears three applications from the review queue in Chromium, with axe on every page.

The caseworker signs in with an authenticator app (journeys.py). The data is written through the live
server's own sessionmaker and every table is emptied afterwards (conftest.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from accessibility import assert_accessible
from helpers import make_user, staff_with_authenticator_app
from journeys import expect_title, sign_in_as_staff
from playwright.sync_api import expect
from sqlalchemy import select

from portal.models import (
    Application,
    ApplicationStatus,
    Child,
    Decision,
    FormVersion,
    MessageTemplate,
    ReviewDecision,
    Role,
    StatusChange,
    utcnow,
)
from portal.services.forms import definition_files, load_definitions

pytestmark = pytest.mark.browser

FORMS = Path(__file__).resolve().parents[2] / "form_definitions"
REFERENCES = ["2YO-QUEU-E001", "2YO-QUEU-E002", "2YO-QUEU-E003"]


def three_submitted_applications(db) -> None:
    assert load_definitions(db, definition_files(FORMS)).ok
    version = db.scalars(select(FormVersion).where(FormVersion.code == "two_year_old_funding")).first()
    for index, reference in enumerate(REFERENCES):
        parent = make_user(db, email=f"parent{index}@example.com", surname=f"Parent{index}")
        child = Child(parent_id=parent.id, forename="Ada", surname=f"Parent{index}", date_of_birth=date(2024, 3, 15))
        db.add(child)
        db.flush()
        at = utcnow() - timedelta(days=3 - index)
        application = Application(
            user_id=parent.id, child_id=child.id, form_version_id=version.id, form_code=version.code,
            status=ApplicationStatus.SUBMITTED, answers={"claim_route": "non_economic"}, reference=reference,
            submitted_summary={"form_title": version.title, "sections": [{
                "group": "claim", "title": "Why you are applying", "repeating": False,
                "rows": [{"question": "claim_route", "label": "Why are you applying?",
                          "lines": ["Because of my child's circumstances"], "item": None}],
            }], "declarations": []},
            submitted_at=at, updated_at=at,
        )  # fmt: skip
        db.add(application)
        db.flush()
        db.add(StatusChange(application_id=application.id, from_status=ApplicationStatus.DRAFT,
                            to_status=ApplicationStatus.SUBMITTED, actor_id=parent.id, at=at))  # fmt: skip
    for name in ("Approved: standard", "Approved: looked-after child"):
        template = MessageTemplate(
            name=name, subject="Your application {{Reference}} is approved",
            body_markdown=f"Dear {{{{Forename}}}},\n\n{name}: {{{{ChildName}}}} can start from {{{{FundingStart}}}}.",
        )  # fmt: skip
        template.decisions = {Decision.APPROVE}
        db.add(template)
    db.commit()


def test_a_caseworker_clears_three_applications_from_the_queue(page, live_server, database):
    three_submitted_applications(database)
    caseworker = staff_with_authenticator_app(database, role=Role.CASEWORKER, email="jane@example.com")
    sign_in_as_staff(page, live_server.url, caseworker, next_url="/admin/queue")
    main = page.locator("main")

    for cleared, reference in enumerate(REFERENCES):
        expect_title(page, "Review queue")
        assert_accessible(page)
        for waiting in REFERENCES[cleared:]:
            expect(main).to_contain_text(waiting)
        for decided in REFERENCES[:cleared]:
            expect(main).not_to_contain_text(decided)
        page.get_by_role("link", name=reference).click()  # oldest first: the next one is at the top

        expect_title(page, f"Application {reference}")
        assert_accessible(page)
        if cleared == 0:  # the matching page and the child's chronology, once
            page.get_by_role("link", name="Match records").click()
            expect_title(page, "Match records")
            assert_accessible(page)
            page.get_by_role("link", name="See the child's chronology").click()
            expect_title(page, "Chronology for Ada Parent0")
            assert_accessible(page)
            page.go_back()
            page.get_by_role("link", name="Back to the application").click()
            expect_title(page, f"Application {reference}")
        page.get_by_role("button", name="Approve", exact=True).click()

        expect_title(page, "Approve")
        assert_accessible(page)
        page.get_by_label("Message template").select_option(label="Approved: looked-after child")
        page.get_by_role("button", name="Use this template").click()
        expect(page.get_by_label("Message to the parent")).to_contain_text("Approved: looked-after child: Ada Parent")
        assert_accessible(page)
        page.get_by_role("button", name="Send and approve").click()

        expect_title(page, f"Application {reference}")
        expect(main).to_contain_text("Your decision has been saved")
        assert_accessible(page)
        page.get_by_role("link", name="Back to the queue").click()

    expect_title(page, "Review queue")
    assert_accessible(page)
    for decided in REFERENCES:
        expect(main).not_to_contain_text(decided)
    database.expire_all()
    decided = database.scalars(select(Application.status).where(Application.reference.in_(REFERENCES))).all()
    assert decided == [ApplicationStatus.APPROVED] * 3
    assert len(database.scalars(select(ReviewDecision).where(ReviewDecision.decided_by_id == caseworker.id)).all()) == 3
