"""Uploaded files: checking what they really are, and storing them outside the web root.

``check_upload`` decides from the bytes, not from what the browser claims: python-magic sniffs the
content and the file's extension must agree with it. Word documents (.docx) are zip files, which
libmagic reports differently from one version to the next, so a .docx is opened as a zip and must
hold ``word/document.xml`` with a bounded total uncompressed size (a zip bomb is refused without ever
being unpacked). Images are opened with Pillow, which reads only the header, and refused when their
pixel count is absurd, before anything is decoded.

Storage goes through the small ``Storage`` interface: a local folder by default (random names, never
served by the web server), or an S3-compatible object store chosen by configuration.
"""

from __future__ import annotations

import enum
import io
import secrets
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import magic
from PIL import Image

DEFAULT_EXTENSIONS = ("doc", "docx", "pdf", "png", "jpeg", "jpg", "bmp")

# What libmagic may call each kind of file. Several names for the same thing: libmagic's answers differ
# between versions (a .doc is "application/msword" or "application/x-ole-storage"; a .docx is the Word
# type or plain "application/zip"; a .bmp is "image/bmp" or "image/x-ms-bmp").
CONTENT_TYPES: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "png": frozenset({"image/png"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "bmp": frozenset({"image/bmp", "image/x-ms-bmp"}),
    "doc": frozenset({"application/msword", "application/x-ole-storage", "application/CDFV2"}),
    "docx": frozenset(
        {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/zip",
            "application/octet-stream",
        }
    ),
}
# The content type a download is served with (never what the browser claimed on upload).
SERVED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "bmp": "image/bmp",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "bmp"})

MAX_IMAGE_PIXELS = 50_000_000  # a 50 megapixel photo is generous; more is a decompression bomb
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_DOCX_ENTRIES = 5_000


class UploadProblem(enum.Enum):
    WRONG_TYPE = "wrong_type"
    TOO_LARGE = "too_large"
    EMPTY = "empty"


# The kinds of file the messages name, from the extensions allowed (site settings may turn some off).
KINDS = (("PDF", ("pdf",)), ("Word document", ("doc", "docx")), ("image", tuple(sorted(IMAGE_EXTENSIONS))))


def problem_message(problem: UploadProblem, max_megabytes: int, allowed: tuple[str, ...] = DEFAULT_EXTENSIONS) -> str:
    """The GOV.UK wording for each problem (the issue's exact texts), naming only the kinds allowed."""
    if problem is UploadProblem.EMPTY:
        return "The selected file is empty"
    if problem is UploadProblem.TOO_LARGE:
        return f"The selected file must be smaller than {max_megabytes}MB"
    kinds = [name for name, extensions in KINDS if any(extension in allowed for extension in extensions)]
    if not kinds:
        return "The selected file must be a PDF, Word document or image"
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    return f"The selected file must be {'an' if listed == 'image' else 'a'} {listed}"


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    extension: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def extension_of(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rpartition(".")[2].lower() if "." in name else ""


def clean_filename(filename: str) -> str:
    """The name to show and to offer on download: no path, no control characters, at most 255 long."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[-255:] or "file"


def check_upload(
    filename: str, data: bytes, *, max_bytes: int, allowed: tuple[str, ...] = DEFAULT_EXTENSIONS
) -> CheckedFile | UploadProblem:
    """A ``CheckedFile`` when the bytes are an allowed kind of file matching the extension."""
    if len(data) == 0:
        return UploadProblem.EMPTY
    if len(data) > max_bytes:
        return UploadProblem.TOO_LARGE
    extension = extension_of(filename)
    if extension not in allowed or extension not in CONTENT_TYPES:
        return UploadProblem.WRONG_TYPE
    sniffed = magic.from_buffer(data[:8192], mime=True)
    if sniffed not in CONTENT_TYPES[extension]:
        return UploadProblem.WRONG_TYPE
    if extension == "docx" and not _is_word_document(data):
        return UploadProblem.WRONG_TYPE
    if extension in IMAGE_EXTENSIONS and not _is_sane_image(data):
        return UploadProblem.WRONG_TYPE
    return CheckedFile(clean_filename(filename), extension, SERVED_TYPES[extension], data)


def _is_word_document(data: bytes) -> bool:
    """A zip holding word/document.xml whose declared contents stay small. Nothing is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_DOCX_ENTRIES:
                return False
            if sum(entry.file_size for entry in entries) > MAX_DOCX_UNCOMPRESSED:
                return False
            return any(entry.filename == "word/document.xml" for entry in entries)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _is_sane_image(data: bytes) -> bool:
    """Pillow reads the header only; a huge pixel count is refused before any decoding."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
                return False
            image.verify()
        return True
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False
    except Exception:  # any unreadable image: Pillow raises many kinds of error on hostile input
        return False


# --- storage -------------------------------------------------------------------------------------------


class Storage(Protocol):
    def save(self, data: bytes) -> str:
        """Store ``data`` under a new random key and return the key."""

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def new_key() -> str:
    return secrets.token_hex(20)


def _valid_key(key: str) -> bool:
    return len(key) == 40 and all(ch in "0123456789abcdef" for ch in key)


class LocalStorage:
    """Files in a folder outside the web root, named by random keys (the parent's name is in the database)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        if not _valid_key(key):
            raise KeyError(key)
        return self.folder / key[:2] / key

    def save(self, data: bytes) -> str:
        key = new_key()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(path, "xb") as file:
            file.write(data)
        path.chmod(0o600)
        return key

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph...). ``client`` is a boto3 S3 client."""

    def __init__(self, client: Any, bucket: str, prefix: str = "uploads/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def save(self, data: bytes) -> str:
        key = new_key()
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)
        return key

    def read(self, key: str) -> bytes:
        if not _valid_key(key):
            raise KeyError(key)
        return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()

    def delete(self, key: str) -> None:
        if _valid_key(key):
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


def storage_from_config(config: Mapping[str, Any]) -> Storage:
    """The storage backend ``UPLOAD_STORAGE`` names: ``local`` (default) or ``s3``."""
    kind = config.get("UPLOAD_STORAGE", "local")
    if kind == "s3":
        try:
            import boto3  # optional: pip install 'council-forms-portal[s3]'
        except ImportError as error:  # pragma: no cover - depends on the installation
            raise RuntimeError("UPLOAD_STORAGE=s3 needs boto3: pip install 'council-forms-portal[s3]'") from error
        client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        )
        return S3Storage(client, config["S3_BUCKET"])
    return LocalStorage(config["UPLOAD_FOLDER"])
