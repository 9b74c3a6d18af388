"""Message template administration (placeholders, unknown ones refused, XSS inert in the preview) and the
exports: the queue as CSV with formula injection neutralised, a submission as a PDF."""

from __future__ import annotations

import csv
import io
import re

import pytest
from application_helpers import load_shipped_forms, text_of
from helpers import admin_client, csrf_token_from, error_summary, page_title, sign_in_staff
from review_helpers import submitted
from sqlalchemy import select

from portal.models import AuditEvent, MessageTemplate
from portal.services.message_templates import PLACEHOLDERS, SAMPLE_VALUES


def post_template(client, url: str, **fields):
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "name": "Approved", "decisions": ["approve"],
            "subject": "Approved", "body_markdown": "Hello", **fields}  # fmt: skip
    return client.post(url, data=data)


def test_every_placeholder_previews_with_sample_data_and_saves(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    body = "\n\n".join(f"{p.name}: {p.token}" for p in PLACEHOLDERS)
    preview = post_template(client, "/admin/templates/new", body_markdown=body, preview="Preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Preview with sample data" in html
    for placeholder in PLACEHOLDERS:
        assert f"{placeholder.name}: {SAMPLE_VALUES[placeholder.name]}" in text_of(html)
    assert db.scalar(select(MessageTemplate.id)) is None  # a preview saves nothing
    saved = post_template(client, "/admin/templates/new", body_markdown=body, name="Every placeholder")
    assert saved.headers["Location"] == "/admin/templates"
    assert "Every placeholder" in client.get("/admin/templates").get_data(as_text=True)
    template = db.scalars(select(MessageTemplate)).one()
    changed = post_template(client, f"/admin/templates/{template.id}", name="Renamed", body_markdown=body)
    assert changed.status_code == 302
    db.expire_all()
    assert db.get(MessageTemplate, template.id).name == "Renamed"


def test_an_unknown_placeholder_is_refused_at_save(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    refused = post_template(client, "/admin/templates/new", body_markdown="Dear {{FirstName}}")
    html = refused.get_data(as_text=True)
    assert page_title(html).startswith("Error:")
    assert error_summary(html)[0].startswith("{{FirstName}} is not a placeholder you can use.")
    assert db.scalar(select(MessageTemplate.id)) is None


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[click me](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    ],
)
def test_markdown_xss_payloads_are_inert_in_the_preview(make_app, db, payload):
    app = make_app()
    client = admin_client(app, db)
    html = post_template(client, "/admin/templates/new", body_markdown=payload, preview="Preview").get_data(
        as_text=True
    )
    preview = re.search(r'<div class="app-preview-body">(.*?)</div>', html, re.S).group(1)
    assert "<script" not in preview
    assert 'href="javascript' not in preview.lower() and 'href="data:' not in preview.lower()
    assert not re.search(r"<[^>]+\son\w+\s*=", preview)
    assert "<img" not in preview


def test_caseworkers_cannot_manage_templates(make_app, db):
    app = make_app()
    client = app.test_client()
    sign_in_staff(client, db)
    assert client.get("/admin/templates").status_code == 403
    assert client.get("/admin/templates/new").status_code == 403


def test_the_queue_as_csv_neutralises_formulas_and_is_audited(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    parent, _child, _apps = submitted(db, 2)
    parent.forename = '=HYPERLINK("http://evil.example")'
    db.commit()
    client = app.test_client()
    sign_in_staff(client, db)
    response = client.get("/admin/queue.csv?order=newest")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.is_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Reference", "Form", "Child", "Parent"]
    assert [r[0] for r in rows[1:]] == ["2YO-TEST-PA001", "2YO-TEST-PA000"]
    assert all(r[3].startswith("'=HYPERLINK") for r in rows[1:])
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "queue_exported_csv")) is not None


def test_a_submission_as_pdf_opens_and_holds_the_reference(make_app, db):
    from pypdf import PdfReader

    app = make_app()
    load_shipped_forms(db)
    _parent, _child, [application] = submitted(db, 1)
    client = app.test_client()
    sign_in_staff(client, db)
    response = client.get(f"/admin/submissions/{application.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert application.reference in text and "Testshire Council" in text
    assert "Why are you applying?" in text
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "submission_exported_pdf")) is not None


def test_documents_download_as_attachments_and_are_audited(make_app, db):
    from application_helpers import make_upload

    app = make_app()
    load_shipped_forms(db)
    _parent, _child, [application] = submitted(db, 1)
    upload = make_upload(db, app, application, filename="letter.pdf")
    client = app.test_client()
    sign_in_staff(client, db)
    page = client.get(f"/admin/submissions/{application.id}").get_data(as_text=True)
    assert "letter.pdf" in page
    response = client.get(f"/admin/submissions/{application.id}/uploads/{upload.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/admin/submissions/{application.id + 1}/uploads/{upload.id}").status_code == 404
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "upload_downloaded")) is not None
