"""Uploads: the type comes from the bytes; images are re-encoded without metadata; bad,
disguised, oversized or too many files are refused with a clear reason."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from mnemonic import Mnemonic
from PIL import Image

from pharos.conversations import services
from pharos.conversations.attachments import AttachmentRejected, clean_upload
from pharos.conversations.models import Attachment, Conversation, Topic

from .conftest import jpeg_with_gps, png_bytes

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_a_screenshot_is_kept_as_a_png() -> None:
    clean = clean_upload("screen shot.png", png_bytes())
    assert clean.content_type == "image/png"
    assert Image.open(io.BytesIO(clean.data)).size == (40, 30)


def test_photo_metadata_such_as_gps_is_stripped() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the phone's EXIF is there
    clean = clean_upload("IMG_0001.jpg", original)
    assert clean.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(clean.data)).getexif()


def test_the_type_comes_from_the_bytes_not_the_name() -> None:
    assert clean_upload("receipt.pdf.png", PDF).content_type == "application/pdf"
    with pytest.raises(AttachmentRejected, match="not a PNG"):
        clean_upload("invoice.png", b"MZ\x90\x00" + b"\x00" * 200)  # a renamed executable


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not a PNG",
        ),
        ("half.png", png_bytes()[:60], "damaged"),
        ("empty.png", b"", "empty"),
        (
            "script.pdf",
            PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /JS (app.alert(1)) >>"),
            "scripts",
        ),
        ("cut.pdf", PDF[:30], "damaged"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 100, "not a PNG"),
    ],
)
def test_bad_files_are_refused_with_a_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(AttachmentRejected, match=reason):
        clean_upload(name, data)


def _pdf_with_stream(dictionary: bytes, data: bytes) -> bytes:
    return (
        b"%PDF-1.5\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << "
        + dictionary
        + b" /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n"
    )


SCRIPT_OBJECT = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"


@pytest.mark.parametrize(
    "data",
    [
        # Names spelt with #xx escapes, as readers accept them.
        PDF.replace(b"/Catalog", b"/Catalog /#41A << /O << /S /J#61vaScript /J#53 (x) >> >>"),
        # A script dictionary inside a compressed object stream.
        _pdf_with_stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                         zlib.compress(SCRIPT_OBJECT)),
        _pdf_with_stream(b"/Type /Obj#53tm /N 1 /First 4 /Filter /Fl#61teDecode",
                         zlib.compress(SCRIPT_OBJECT)),
        # An object stream in a form we do not read.
        _pdf_with_stream(b"/Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode",
                         SCRIPT_OBJECT.hex().encode()),
    ],
    ids=["escaped-names", "object-stream", "escaped-object-stream", "unreadable-object-stream"],
)  # fmt: skip
def test_scripts_hidden_in_a_pdf_are_found(data: bytes) -> None:
    with pytest.raises(AttachmentRejected, match="scripts"):
        clean_upload("statement.pdf", data)


def test_a_scanned_pdf_whose_image_bytes_spell_a_script_name_is_kept() -> None:
    """Three random bytes of a photo often read "/JS": only dictionaries are searched."""
    noise = random.Random(7).randbytes(200_000) + b" /JS /AA>> /OpenAction "
    scan = _pdf_with_stream(b"/Type /XObject /Subtype /Image /Filter /DCTDecode", noise)
    assert clean_upload("id-front.pdf", scan).data == scan


def test_a_file_saved_under_its_seed_phrase_keeps_no_phrase_in_its_name() -> None:
    seed = Mnemonic("english").to_mnemonic(bytes(range(16)))
    name = clean_upload(f"{seed}.png", png_bytes()).name
    assert seed.split()[0] not in name and name == "[redacted:seed_phrase].png"


def test_files_over_ten_megabytes_are_refused(settings) -> None:
    with pytest.raises(AttachmentRejected, match="larger than 10 MB"):
        clean_upload("big.png", b"\x89PNG" + b"\x00" * (settings.ATTACHMENT_MAX_BYTES + 1))


def test_a_decompression_bomb_is_refused() -> None:
    image = Image.new("1", (10_000, 10_000))
    output = io.BytesIO()
    image.save(output, format="PNG")
    with pytest.raises(AttachmentRejected, match="too many pixels"):
        clean_upload("bomb.png", output.getvalue())


def test_file_names_cannot_carry_paths_or_markup() -> None:
    assert clean_upload("../../etc/passwd.png", png_bytes()).name == "passwd.png"
    assert clean_upload("C:\\Users\\me\\shot.png", png_bytes()).name == "shot.png"
    assert (
        clean_upload('<img src=x onerror="1">.png', png_bytes()).name == "img src=x onerror=1.png"
    )


@pytest.mark.django_db
def test_attachments_are_stored_with_the_message_under_a_random_name(customer) -> None:
    files = [clean_upload("screenshot.png", png_bytes()), clean_upload("statement.pdf", PDF)]
    ticket = services.open_ticket(
        customer,
        services.TicketRequest(
            Topic.objects.get(slug="other"), "Files", "See attached", files=files
        ),
    )
    stored = list(Attachment.objects.filter(conversation=ticket))
    assert [a.original_name for a in stored] == ["screenshot.png", "statement.pdf"]
    assert all(a.message == ticket.messages.get() for a in stored)
    assert all("screenshot" not in a.file.name for a in stored)
    assert stored[1].file.read() == PDF


@pytest.mark.django_db
def test_more_than_five_files_are_refused_and_nothing_is_opened(customer) -> None:
    files = [clean_upload(f"s{n}.png", png_bytes()) for n in range(6)]
    with pytest.raises(AttachmentRejected, match="at most 5"):
        services.open_ticket(
            customer,
            services.TicketRequest(Topic.objects.get(slug="other"), "Files", "Six", files=files),
        )
    assert not Conversation.objects.exists()
