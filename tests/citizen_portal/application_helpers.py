"""Factories and page readers for the application tests (imported by name; file names stay unique)."""

from __future__ import annotations

import io
import re
import struct
import zlib
from datetime import date
from html import unescape
from pathlib import Path

from helpers import csrf_token_from, make_user, sign_in
from sqlalchemy.orm import Session

from portal.models import Child, User
from portal.services.forms import definition_files, load_definitions

SHIPPED = Path(__file__).resolve().parents[2] / "form_definitions"


def load_shipped_forms(db: Session) -> None:
    report = load_definitions(db, definition_files(SHIPPED))
    assert report.ok, report.problems


def make_parent(db: Session, email: str = "parent@example.com", **names) -> User:
    return make_user(db, email=email, **names)


def make_child(db: Session, parent: User, forename: str = "Ada", dob: date = date(2024, 3, 15)) -> Child:
    child = Child(parent_id=parent.id, forename=forename, surname="Parent", date_of_birth=dob, gender="female")
    db.add(child)
    db.commit()
    return child


def signed_in_client(app, email: str):
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post_page(client, url: str, data: dict, *, files: dict | None = None, follow: bool = False):
    """Fill in the page at ``url`` as a person would: read its CSRF token, then post."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    payload = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), **data}
    if files:
        payload.update({name: (io.BytesIO(content), filename) for name, (filename, content) in files.items()})
        return client.post(url, data=payload, content_type="multipart/form-data", follow_redirects=follow)
    return client.post(url, data=payload, follow_redirects=follow)


def location(response) -> str:
    return response.headers["Location"]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- real file fixtures --------------------------------------------------------------------------------


def tiny_pdf() -> bytes:
    """A minimal valid one-page PDF, written out with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG written by hand (zlib + CRCs), so no image library is needed to make it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def elf_executable() -> bytes:
    """The start of a Linux executable: what a renamed program looks like to libmagic."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def make_submitted_application(db: Session, parent: User, child: Child | None, *, reference: str = "2YO-7K3M-Q9TD"):
    """A sent two-year-old application, written straight to the database (for pages after submission)."""
    from sqlalchemy import select as _select

    from portal.models import Application, ApplicationStatus, FormVersion, StatusChange, utcnow

    version = db.scalars(_select(FormVersion).where(FormVersion.code == "two_year_old_funding")).first()
    now = utcnow()
    application = Application(
        user_id=parent.id,
        child_id=child.id if child else None,
        form_version_id=version.id,
        form_code=version.code,
        status=ApplicationStatus.SUBMITTED,
        answers={"claim_route": "non_economic", "non_economic_reason": "dla"},
        submitted_summary={
            "form_title": version.title,
            "sections": [
                {
                    "group": "claim",
                    "title": "Why you are applying",
                    "repeating": False,
                    "rows": [
                        {
                            "question": "claim_route",
                            "label": "Why are you applying?",
                            "lines": ["Because of my child's circumstances"],
                            "item": None,
                        }
                    ],
                }
            ],
            "declarations": [{"code": "truthful", "text": "The information I have given is true."}],
        },
        reference=reference,
        submitted_at=now,
        updated_at=now,
    )
    db.add(application)
    db.flush()
    db.add(
        StatusChange(
            application_id=application.id,
            from_status=ApplicationStatus.DRAFT,
            to_status=ApplicationStatus.SUBMITTED,
            actor_id=parent.id,
            message="",
        )
    )
    db.commit()
    return application


def make_upload(db: Session, app, application, filename: str = "letter.pdf", data: bytes | None = None):
    from portal.models import Upload
    from portal.uploads import storage_from_config

    data = data if data is not None else tiny_pdf()
    key = storage_from_config(app.config).save(data)
    upload = Upload(
        user_id=application.user_id,
        application_id=application.id,
        question_code="evidence_file",
        original_filename=filename,
        storage_key=key,
        size=len(data),
        content_type="application/pdf",
    )
    db.add(upload)
    db.commit()
    return upload
