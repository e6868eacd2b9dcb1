"""Accepting uploaded files: recognised by their first bytes, never by their name.

Evidence of the paper trail, service plans, legal opinions and notice attachments
all come through ``read_upload``: the size limit, the accepted kinds, the removal of
photos' metadata (``core.images``) and the SHA-256 under which the file is stored are
decided here once; ``Upload.save_into`` fills a ``core.models.StoredFile``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db.models import Model
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .images import without_metadata

# kind -> (first bytes, content type, extension)
SIGNATURES: dict[str, tuple[bytes, str, str]] = {
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    "pdf": (b"%PDF-", "application/pdf", ".pdf"),
}
IMAGES_AND_PDF = ("jpeg", "png", "pdf")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Upload:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.data)

    def content(self) -> ContentFile:
        return ContentFile(self.data)

    def stored_name(self) -> str:
        """Derived from the content, never from the uploaded name."""
        return f"{self.sha256[:24]}{self.extension}"

    def save_into(self, record: M) -> M:
        """Store the file in ``record.file`` under its content-derived name, copy what
        the record keeps of it (original name, content type, size, SHA-256), save."""
        kept = {field.name for field in record._meta.get_fields()}
        for name in ("original_name", "content_type", "size", "sha256"):
            if name in kept:
                setattr(record, name, getattr(self, name))
        record.file.save(self.stored_name(), self.content(), save=False)  # type: ignore[attr-defined]
        record.save()
        return record


def _refusal(kinds: tuple[str, ...]) -> str:
    if kinds == ("pdf",):
        return _("Only PDF files are accepted.")
    return _("Only JPEG or PNG images and PDF files are accepted.")


def read_upload(upload, *, kinds: Iterable[str] = IMAGES_AND_PDF) -> Upload:
    """Read an uploaded file and check it; ApplicationError says what is wrong."""
    kinds = tuple(kinds)
    data = upload.read()
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ApplicationError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not data:
        raise ApplicationError(_("The file is empty."))
    for kind in kinds:
        magic, content_type, extension = SIGNATURES[kind]
        if data.startswith(magic):
            if kind in ("jpeg", "png"):
                # checked to be a picture, and stored without EXIF (GPS!) and text
                data = without_metadata(data, kind)
            return Upload(
                data=data,
                content_type=content_type,
                extension=extension,
                sha256=hashlib.sha256(data).hexdigest(),
                original_name=(getattr(upload, "name", "") or "upload")[-255:],
            )
    raise ApplicationError(_refusal(kinds))


def file_intact(field, sha256: str) -> bool:
    """Whether a stored file still has the hash it was stored with."""
    try:
        with field.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == sha256
    except OSError:
        return False


# --- size limits while the bytes arrive -------------------------------------


class UploadTooLarge(SuspiciousOperation):
    """An upload went past its limit; it was refused before it was all received."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upload over {limit} bytes")
        self.limit = limit


def upload_limit(setting: str):
    """Let a view accept files of up to ``settings.<setting>`` bytes each (instead of
    ``settings.UPLOAD_MAX_BYTES``), read when a request comes in."""

    def decorate(view):
        view.upload_limit_setting = setting
        return view

    return decorate


def _file_limit(request) -> int:
    match = getattr(request, "resolver_match", None)
    view = getattr(match, "func", None)
    return int(getattr(settings, getattr(view, "upload_limit_setting", "UPLOAD_MAX_BYTES")))


class LimitedUploadHandler(FileUploadHandler):
    """The first upload handler: counts the bytes of every uploaded file as they
    arrive and stops the request once a file passes the view's limit, or the request
    announces more than all its files could hold. Nothing oversized is ever read to
    the end, into memory or to disk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.file_limit = _file_limit(self.request)
        if content_length and content_length > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise UploadTooLarge(self.file_limit)
        return None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.file_limit:
            raise UploadTooLarge(self.file_limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
