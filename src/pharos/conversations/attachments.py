"""Checking and cleaning uploads: the type is read from the bytes, never the name; images
are decoded and re-encoded, which drops their metadata (GPS, device) and anything hidden
after the picture; PDFs that carry scripts or launch actions are refused."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from pharos.trust.redaction import redact

ALLOWED_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000  # a 50-megapixel "screenshot" is a decompression bomb
_PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|AA|Launch|SubmitForm|ImportData|EmbeddedFiles?|RichMedia|OpenAction|XFA)"
    rb"(?![A-Za-z0-9])"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n(.*?)endstream", re.S)
# Dictionaries may hide in compressed object streams (/ObjStm): those are inflated and
# read too, up to this much in all.
_PDF_INFLATE_BUDGET = 64 * 2**20


class AttachmentRejected(ValueError):
    """An upload that cannot be kept; the message says why, in the user's language."""


@dataclass(frozen=True)
class CleanFile:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return ALLOWED_TYPES[self.content_type]


def clean_upload(name: str, data: bytes) -> CleanFile:
    """The upload as it will be stored, or AttachmentRejected with the reason."""
    display_name = _display_name(name)
    check_size(display_name, len(data))
    if not data:
        raise AttachmentRejected(_("%(name)s is empty.") % {"name": display_name})
    guessed = filetype.guess(data[:8192])
    content_type = guessed.mime if guessed else ""
    if content_type not in ALLOWED_TYPES:
        raise AttachmentRejected(
            _("%(name)s is not a PNG, JPEG, WebP image or a PDF document.") % {"name": display_name}
        )
    if content_type == "application/pdf":
        return CleanFile(display_name, content_type, _checked_pdf(display_name, data))
    return CleanFile(display_name, content_type, _reencoded_image(display_name, data, content_type))


def clean_uploads(uploads: Iterable[UploadedFile]) -> tuple[list[CleanFile], list[str]]:
    """The uploads that pass the checks, and why each other one was refused: one bad file
    never costs the customer the rest of their message."""
    accepted, refused = [], []
    for upload in uploads:
        name = upload.name or "file"
        try:
            check_size(name, upload.size or 0)  # before reading a 50 MB file into memory
            accepted.append(clean_upload(name, upload.read()))
        except AttachmentRejected as refusal:
            refused.append(str(refusal))
    return accepted, refused


def check_size(name: str, size: int) -> None:
    """Refuse a file over the limit before reading it."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise AttachmentRejected(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": _display_name(name), "limit": limit // 2**20}
        )


def _reencoded_image(name: str, data: bytes, content_type: str) -> bytes:
    try:
        with warnings.catch_warnings():
            # The pixel count is checked below; Pillow's own warning would only add noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise AttachmentRejected(_("%(name)s has too many pixels.") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            frame = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
    except AttachmentRejected:
        raise
    except Image.DecompressionBombError:
        raise AttachmentRejected(_("%(name)s has too many pixels.") % {"name": name}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise AttachmentRejected(
            _("%(name)s is damaged or not a complete image.") % {"name": name}
        ) from None
    output = io.BytesIO()
    image_format = IMAGE_FORMATS[content_type]
    if image_format == "JPEG" and frame.mode == "RGBA":
        frame = frame.convert("RGB")
    # A new file from the pixels alone: no EXIF (GPS, camera), no ICC tricks, no appended data.
    frame.save(output, format=image_format, **({"quality": 90} if image_format != "PNG" else {}))
    return output.getvalue()


def _checked_pdf(name: str, data: bytes) -> bytes:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise AttachmentRejected(_("%(name)s is damaged or not a complete PDF.") % {"name": name})
    if _pdf_has_active_content(data):
        raise AttachmentRejected(
            _("%(name)s contains scripts or embedded files, which we do not accept. Please "
              "print it to a plain PDF or send screenshots instead.") % {"name": name}
        )  # fmt: skip
    return data


def _pdf_has_active_content(data: bytes) -> bool:
    """Scripts, actions or embedded files anywhere a reader would find them: in the
    objects' dictionaries, with names spelt in #xx escapes, or inside compressed object
    streams. Stream data (images, page content) is not searched, where three random bytes
    would often spell "/JS". An object stream we cannot read counts as active."""
    budget = _PDF_INFLATE_BUDGET
    outside, position = [], 0
    for stream in _PDF_STREAM.finditer(data):
        before = data[position : stream.start()]
        outside.append(before)
        position = stream.end()
        dictionary = _pdf_names(before[-4000:])
        if b"/ObjStm" not in dictionary:
            continue
        if b"/FlateDecode" not in dictionary:
            return True
        try:
            inside = zlib.decompressobj().decompress(stream.group(1), budget)
        except zlib.error:
            return True
        budget -= len(inside)
        if budget <= 0 or _PDF_ACTIVE_CONTENT.search(_pdf_names(inside)):
            return True
    outside.append(data[position:])
    return bool(_PDF_ACTIVE_CONTENT.search(_pdf_names(b"".join(outside))))


def _pdf_names(text: bytes) -> bytes:
    return _PDF_NAME_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), text)


def _display_name(name: str) -> str:
    """The customer's file name, safe to show: no path, no control characters, no secret
    (a file saved as its seed phrase), bounded."""
    base = re.split(r"[\\/]", name or "")[-1]
    printable = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")
    return redact(printable or "file").text[:120]


def private_file_response(file: File, content_type: str, name: str) -> FileResponse:
    """An uploaded file, served from our own origin to someone allowed to see it: never
    treated as a page by the browser, never cached; a PDF is downloaded, not opened."""
    response = FileResponse(
        file.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
