"""portal.uploads: what a file really is decides, not its name; storage keeps random names out of the web root."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
from application_helpers import elf_executable, tiny_pdf, tiny_png  # noqa: E402

from portal.uploads import (  # noqa: E402
    LocalStorage,
    S3Storage,
    UploadProblem,
    check_upload,
    problem_message,
    storage_from_config,
)

MB = 1024 * 1024


def image_bytes(kind: str, size=(3, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def docx(extra: dict[str, bytes] | None = None, *, with_document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def check(name: str, data: bytes, max_bytes: int = 10 * MB):
    return check_upload(name, data, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "data", "served"),
    [
        ("letter.pdf", tiny_pdf(), "application/pdf"),
        ("photo.png", tiny_png(), "image/png"),
        ("photo.PNG", image_bytes("PNG"), "image/png"),
        ("scan.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("scan.jpeg", image_bytes("JPEG"), "image/jpeg"),
        ("scan.bmp", image_bytes("BMP"), "image/bmp"),
        ("letter.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_real_files_of_each_allowed_kind_are_accepted(name, data, served):
    checked = check(name, data)
    assert not isinstance(checked, UploadProblem), checked
    assert checked.content_type == served
    assert checked.size == len(data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.pdf", elf_executable()),  # a renamed program
        ("photo.png", tiny_pdf()),  # a PDF calling itself an image
        ("letter.pdf", tiny_png()),
        ("letter.exe", tiny_pdf()),  # the right content with a forbidden extension
        ("letter", tiny_pdf()),
        ("letter.docx", docx(with_document=False)),  # a zip that is not a Word document
        ("letter.docx", b"PK\x03\x04" + b"\x00" * 100),  # not even a readable zip
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50),  # a JPEG header and nothing an image needs
    ],
)
def test_files_whose_content_and_extension_disagree_are_refused(name, data):
    assert check(name, data) is UploadProblem.WRONG_TYPE


def test_a_zip_bomb_named_docx_is_refused_without_being_unpacked():
    bomb = docx({"word/media/huge.bin": b"\x00" * (120 * MB)})
    assert len(bomb) < 1 * MB  # it compresses to almost nothing
    assert check("letter.docx", bomb) is UploadProblem.WRONG_TYPE


def test_an_image_with_an_absurd_pixel_count_is_refused_before_decoding():
    png = bytearray(tiny_png())
    # Rewrite the header to claim 60,000 x 60,000 pixels (3.6 billion); the CRC is fixed up to match.
    import zlib

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    png[16:29] = header
    png[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header) & 0xFFFFFFFF)
    assert check("huge.png", bytes(png)) is UploadProblem.WRONG_TYPE


def test_empty_and_oversized_files_have_their_own_problems():
    assert check("letter.pdf", b"") is UploadProblem.EMPTY
    assert check("letter.pdf", tiny_pdf() + b"0" * MB, max_bytes=MB) is UploadProblem.TOO_LARGE


def test_the_messages_are_the_issues_wording():
    assert problem_message(UploadProblem.WRONG_TYPE, 10) == "The selected file must be a PDF, Word document or image"
    assert problem_message(UploadProblem.TOO_LARGE, 10) == "The selected file must be smaller than 10MB"
    assert problem_message(UploadProblem.EMPTY, 10) == "The selected file is empty"


def test_the_shown_name_loses_any_path():
    checked = check("C:\\Users\\sam\\letter.pdf", tiny_pdf())
    assert checked.filename == "letter.pdf"


def test_local_storage_uses_random_names_and_refuses_other_keys(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    key = storage.save(b"hello")
    other = storage.save(b"hello")
    assert key != other and len(key) == 40
    assert storage.read(key) == b"hello"
    stored = next(p for p in (tmp_path / "uploads").rglob("*") if p.is_file())
    assert stored.name in (key, other)
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    for bad in ("../../etc/passwd", "", key.upper()):
        with pytest.raises(KeyError):
            storage.read(bad)
    storage.delete(key)
    with pytest.raises(FileNotFoundError):
        storage.read(key)


class FakeS3:
    def __init__(self):
        self.objects = {}

    def put_object(self, Bucket, Key, Body):  # noqa: N803 - boto3's argument names
        self.objects[(Bucket, Key)] = Body

    def get_object(self, Bucket, Key):  # noqa: N803
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)])}

    def delete_object(self, Bucket, Key):  # noqa: N803
        self.objects.pop((Bucket, Key), None)


def test_s3_storage_keeps_objects_under_random_keys_in_the_bucket():
    client = FakeS3()
    storage = S3Storage(client, "council-uploads")
    key = storage.save(b"letter")
    assert list(client.objects) == [("council-uploads", f"uploads/{key}")]
    assert storage.read(key) == b"letter"
    storage.delete(key)
    assert client.objects == {}


def test_local_storage_is_the_default(tmp_path):
    storage = storage_from_config({"UPLOAD_FOLDER": str(tmp_path)})
    assert isinstance(storage, LocalStorage)
