"""Who may open the staff users pages (administrators only; the invitation's pages are the one part of
/admin open before sign-in), odd input never failing, and a list whose query count does not grow."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from account_helpers import submit, text_of
from helpers import admin_client, count_queries, csrf_token_from, error_summary, make_user, page_title, sign_in
from sqlalchemy import func, select
from staff_helpers import caseworker_client, invite, member_by_email

from admin.views import INVITATION_PAGES
from portal.models import AuditEvent, Role, TwoStepMethod


def staff_urls(member_id: int) -> list[str]:
    return [
        "/admin/staff",
        "/admin/staff/invite",
        f"/admin/staff/{member_id}",
        f"/admin/staff/{member_id}/role",
        *(
            f"/admin/staff/{member_id}/{action}"
            for action in (
                "deactivate",
                "reactivate",
                "reset-two-step-verification",
                "resend-invitation",
                "cancel-invitation",
            )
        ),  # fmt: skip
    ]


def test_caseworkers_and_parents_get_403_on_every_staff_users_page(make_app, db):
    app = make_app()
    admin_client(app, db)
    target = member_by_email(db, "admin@example.com")
    caseworker = caseworker_client(app, db)
    make_user(db, email="parent@example.com")
    parent = app.test_client()
    assert sign_in(parent, "parent@example.com").status_code == 302
    csrf = csrf_token_from(caseworker.get("/admin/queue").get_data(as_text=True))
    for url in staff_urls(target.id):
        assert caseworker.get(url).status_code == 403, url
        if url not in ("/admin/staff", f"/admin/staff/{target.id}"):  # these two are only read
            assert caseworker.post(url, data={"csrf_token": csrf, "role": "caseworker"}).status_code == 403, url
        assert parent.get(url).status_code == 403, url
    anonymous = app.test_client()
    for url in staff_urls(target.id):
        assert anonymous.get(url).headers["Location"].startswith("/sign-in"), url
    db.expire_all()
    assert db.get(type(target), target.id).role is Role.ADMIN


def test_only_the_invitation_pages_are_open_before_sign_in(app):
    """Every /admin endpoint sends someone not signed in to sign in, except admin.invitation_* ones."""
    anonymous = app.test_client()
    csrf = csrf_token_from(anonymous.get("/sign-in").get_data(as_text=True))
    open_endpoints = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = None
        for candidate in ("1", "en"):  # a number for ids, a language for the texts' <any(en, cy)>
            try:
                url = rule.build({argument: candidate for argument in rule.arguments}, append_unknown=False)[1]
                break
            except ValueError:
                continue
        assert url is not None, rule.rule
        response = anonymous.get(url) if "GET" in rule.methods else anonymous.post(url, data={"csrf_token": csrf})
        if not (response.status_code == 302 and response.headers["Location"].startswith("/sign-in?")):
            open_endpoints.add(rule.endpoint)
    assert open_endpoints == {
        "admin.invitation_accept",
        "admin.invitation_two_step",
        "admin.invitation_app",
        "admin.invitation_recovery_codes",
    }
    assert all(endpoint.startswith(INVITATION_PAGES) for endpoint in open_endpoints)


def test_odd_ids_actions_and_form_values_never_fail(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    make_user(db, email="parent@example.com")
    parent_id = member_by_email(db, "parent@example.com").id
    make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    member = member_by_email(db, "case@example.com")
    for url in (
        "/admin/staff/999999",
        f"/admin/staff/{parent_id}",
        f"/admin/staff/{parent_id}/deactivate",
        "/admin/staff/abc",
        "/admin/staff/-1",
        "/admin/staff/99999999999999999999999",
        f"/admin/staff/{member.id}/explode",
        f"/admin/staff/{member.id}/make-admin",  # roles change on the role page only
        "/admin/staff/999999/role",
    ):
        assert admin.get(url).status_code == 404, url
    csrf = csrf_token_from(admin.get("/admin/staff").get_data(as_text=True))
    assert admin.post(f"/admin/staff/{parent_id}/deactivate", data={"csrf_token": csrf}).status_code == 404
    assert admin.post("/admin/staff/999999/role", data={"csrf_token": csrf, "role": "admin"}).status_code == 404
    # A person's action that does not apply now goes back to their page (GET) or is refused (POST).
    assert admin.get(f"/admin/staff/{member.id}/reactivate").headers["Location"] == f"/admin/staff/{member.id}"
    assert admin.get(f"/admin/staff/{member.id}/resend-invitation").status_code == 302
    version = admin.get(f"/admin/staff/{member.id}/deactivate").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="([^"]+)"', version).group(1)
    not_now = admin.post(f"/admin/staff/{member.id}/cancel-invitation", data={"csrf_token": csrf, "version": version})
    assert not_now.status_code == 409
    assert error_summary(not_now.get_data(as_text=True)) == [
        "This change cannot be made to Jane Smith’s account as it is now."
    ]
    # Missing, over-long or foreign versions are stale forms; an invitation id that is not a number is ignored.
    for bad in ({}, {"version": "x" * 10_000}, {"version": "'; drop table users; --"}):
        response = admin.post(f"/admin/staff/{member.id}/deactivate", data={"csrf_token": csrf, **bad})
        assert response.status_code == 409, bad
        assert "Someone else changed Jane Smith’s account" in text_of(response.get_data(as_text=True))
    odd_invitation = admin.post(f"/admin/staff/{member.id}/deactivate",
                                data={"csrf_token": csrf, "version": version, "invitation": "x" * 5000})  # fmt: skip
    assert odd_invitation.status_code == 302
    # The role page: no role, an unknown one, a huge one.
    for role in ("", "superuser", "a" * 10_000):
        posted = submit(admin, f"/admin/staff/{member.id}/role", {"role": role, "version": version})
        html = posted.get_data(as_text=True)
        assert error_summary(html) == ["Select a role"], role
        assert page_title(html).startswith("Error: Change role for Jane Smith")
    # Without a CSRF token nothing changes, and the page says why politely.
    assert admin.post(f"/admin/staff/{member.id}/reactivate", data={"version": version}).status_code == 400
    assert db.scalars(select(func.count()).where(AuditEvent.action == "staff.reactivated")).one() == 0


def test_the_list_shows_everyone_with_a_constant_number_of_queries(make_app, db):
    app = make_app()
    admin = admin_client(app, db)

    def add_staff(start: int, count: int) -> None:
        for n in range(start, start + count):
            make_user(db, role=Role.CASEWORKER if n % 2 else Role.ADMIN, email=f"staff{n}@example.com",
                      forename=f"Person{n}", surname="Staff")  # fmt: skip
            invite(admin, forename=f"Invitee{n}", surname="Staff", email=f"invited{n}@example.com")

    add_staff(0, 1)
    with count_queries(app) as few:
        small = admin.get("/admin/staff")
    add_staff(1, 8)
    with count_queries(app) as many:
        large = admin.get("/admin/staff")
    assert small.status_code == large.status_code == 200
    assert len(many) == len(few), (len(few), len(many))
    html = text_of(large.get_data(as_text=True))
    assert html.count("Invitee") == 9 and html.count("Person") == 9


def test_the_list_shows_role_status_two_step_method_and_last_sign_in_in_london_time(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    jane = member_by_email(db, "case@example.com")
    jane.two_step_method = TwoStepMethod.EMAIL
    jane.last_signed_in_at = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)  # 2:05pm in London (BST)
    db.commit()
    html = text_of(admin.get("/admin/staff").get_data(as_text=True))
    assert "Jane Smith case@example.com Caseworker Active On: codes by email 1 July 2026, 2:05pm" in html
    assert "Ada Admin (you) admin@example.com Administrator Active On: authenticator app" in html
