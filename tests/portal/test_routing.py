"""An id in a URL too large for any database id is simply not found: 404, never a 500."""

from __future__ import annotations

from helpers import sign_in_staff

from portal.models import Role
from portal.models.base import LARGEST_ID

HUGE = "99999999999999999999"  # beyond what SQLite can bind and what PostgreSQL's INTEGER holds


def test_a_huge_id_in_a_staff_url_is_not_found(app, db):
    client = app.test_client()
    sign_in_staff(client, db, role=Role.ADMIN, email="ada@example.com")
    for url in (f"/admin/announcements/{HUGE}", f"/admin/submissions/{HUGE}", f"/admin/templates/{HUGE}",
                f"/admin/announcements/{LARGEST_ID + 1}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.get(f"/admin/announcements/{LARGEST_ID}").status_code == 404  # in range, but nobody's


def test_a_huge_id_in_a_parent_url_is_not_found(client):
    assert client.get(f"/applications/{HUGE}").status_code == 404
