"""IMAP polling against a real Dovecot over TLS: new mail becomes conversations, nothing is
fetched twice, the customer's read and unread state is left alone, a crash between
storing and marking ends as a duplicate, an over-limit message leaves a stand-in, and the
connection is verified TLS or nothing (wrong password, untrusted certificate, wrong host
name, a plain-text server, a missing password variable: no mail, no exception)."""

from __future__ import annotations

import logging
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.management import call_command
from imapclient import IMAPClient
from pytest_django.fixtures import Settings

from pharos.accounts.models import Customer, Team
from pharos.conversations.models import AuthorKind, Channel, Conversation
from pharos.mail import imap, services
from pharos.mail.models import InboundMail, InboundState, Mailbox

from ..conftest import run_queued_tasks
from .conftest import DOMAIN, make_mail
from .imap_server import ImapServer, running_imap_server

pytestmark = pytest.mark.django_db

PASSWORD_VARIABLE = "PHAROS_TEST_IMAP_PASSWORD"


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    with running_imap_server() as server:
        yield server


@pytest.fixture
def folder(imap_server: ImapServer) -> str:
    """A folder of its own for each test, so tests do not see each other's mail."""
    name = f"Pharos-{uuid.uuid4().hex[:12]}"
    with imap_server.client() as client:
        client.create_folder(name)
    return name


@pytest.fixture
def mailbox(
    imap_server: ImapServer,
    folder: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    db: None,
) -> Mailbox:
    """The support mailbox, hosted on the test Dovecot, its CA trusted."""
    settings.MAIL_IMAP_CA_FILE = imap_server.ca_file
    monkeypatch.setenv(PASSWORD_VARIABLE, imap_server.password)
    team, _ = Team.objects.get_or_create(
        slug="general-support",
        defaults={"name_en": "General support", "name_zh_hans": "综合客服"},
    )
    support, _ = Mailbox.objects.update_or_create(
        address=f"support@{DOMAIN}",
        defaults={
            "purpose": "support",
            "team": team,
            "description_en": "Support questions",
            "description_zh_hans": "综合客服问题",
            "imap_host": imap_server.host,
            "imap_port": imap_server.port,
            "imap_username": imap_server.username,
            "imap_password_variable": PASSWORD_VARIABLE,
            "imap_folder": folder,
        },
    )
    services.forget_mailboxes()
    return support


def put(
    server: ImapServer, folder: str, message: EmailMessage | bytes, flags: tuple[str, ...] = ()
) -> int:
    """Deliver a message into the folder as a mail client would; its UID."""
    raw = message.as_bytes() if isinstance(message, EmailMessage) else message
    with server.client() as client:
        answer = client.append(folder, raw, flags=flags)
    found = re.search(rb"APPENDUID \d+ (\d+)", answer)
    assert found, answer
    return int(found.group(1))


def flags_on_server(server: ImapServer, folder: str) -> dict[int, set[str]]:
    with server.client() as client:
        client.select_folder(folder, readonly=True)
        return {
            uid: {flag.decode() for flag in flags} - {r"\Recent"}
            for uid, flags in client.get_flags(client.search(["ALL"])).items()
        }


def stored_from(mailbox: Mailbox) -> list[InboundMail]:
    return list(InboundMail.objects.filter(mailbox=mailbox).order_by("pk"))


def processed(inbound: InboundMail) -> InboundMail:
    return services.process(inbound.pk)


# --- new mail ------------------------------------------------------------------------------------
def test_new_messages_are_stored_and_become_conversations(
    imap_server: ImapServer, folder: str, mailbox: Mailbox, customer: Customer
) -> None:
    put(imap_server, folder, make_mail("My deposit has not arrived"))
    put(imap_server, folder, make_mail("Cannot log in", "Help", sender="dave@example.net"))

    assert imap.poll_mailbox(mailbox) == 2

    stored = stored_from(mailbox)
    assert [inbound.source for inbound in stored] == ["imap", "imap"]
    assert all(inbound.recipients == [mailbox.address] for inbound in stored)
    run_queued_tasks()  # processing was queued with the message, as for SMTP
    conversations = {}
    for inbound in stored:
        inbound.refresh_from_db()
        assert inbound.state == InboundState.PROCESSED, inbound.reason
        assert inbound.conversation is not None
        conversations[inbound.subject] = inbound.conversation
    deposit = conversations["My deposit has not arrived"]
    assert deposit.channel == Channel.EMAIL
    assert deposit.team == mailbox.team
    assert deposit.customer == customer
    first = deposit.messages.get(author_kind=AuthorKind.CUSTOMER)
    assert first.body == "I sent 500 USDT on TRC20 two hours ago."
    assert conversations["Cannot log in"].customer is None


def test_a_second_poll_stores_nothing_new(
    imap_server: ImapServer, folder: str, mailbox: Mailbox
) -> None:
    put(imap_server, folder, make_mail())
    assert imap.poll_mailbox(mailbox) == 1

    assert imap.poll_mailbox(mailbox) == 0

    put(imap_server, folder, make_mail("Another question"))
    assert imap.poll_mailbox(mailbox) == 1
    assert InboundMail.objects.filter(mailbox=mailbox).count() == 2


def test_many_messages_are_fetched_in_batches(
    imap_server: ImapServer, folder: str, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "BATCH_SIZE", 2)
    subjects = {f"Question {number}" for number in range(5)}
    for subject in subjects:
        put(imap_server, folder, make_mail(subject, sender=f"{uuid.uuid4().hex}@example.net"))

    assert imap.poll_mailbox(mailbox) == 5

    raw_subjects = set()
    for inbound in stored_from(mailbox):
        with inbound.raw.open("rb") as file:
            raw_subjects.add(message_from_bytes(file.read())["Subject"])
    assert raw_subjects == subjects
    assert imap.poll_mailbox(mailbox) == 0


def test_mail_the_customer_already_read_is_fetched_and_unread_mail_stays_unread(
    imap_server: ImapServer, folder: str, mailbox: Mailbox
) -> None:
    read = put(imap_server, folder, make_mail("Read in Thunderbird"), flags=(r"\Seen",))
    unread = put(imap_server, folder, make_mail("Nobody opened this yet"))

    assert imap.poll_mailbox(mailbox) == 2

    flags = flags_on_server(imap_server, folder)
    assert flags[read] == {r"\Seen", imap.STORED_KEYWORD}
    assert flags[unread] == {imap.STORED_KEYWORD}  # still unread for the people using it


def test_a_crash_between_storing_and_marking_ends_as_a_duplicate_not_a_second_conversation(
    imap_server: ImapServer, folder: str, mailbox: Mailbox
) -> None:
    conversations_before = Conversation.objects.count()
    uid = put(imap_server, folder, make_mail())
    assert imap.poll_mailbox(mailbox) == 1
    (stored,) = stored_from(mailbox)
    first = processed(stored)
    assert first.state == InboundState.PROCESSED
    # As if the poller died after storing the message but before marking it.
    with imap_server.client() as client:
        client.select_folder(folder)
        client.remove_flags([uid], [imap.STORED_KEYWORD])

    assert imap.poll_mailbox(mailbox) == 1

    first_again, second = stored_from(mailbox)
    assert first_again == first and second.message_id == first.message_id
    assert processed(second).state == InboundState.DUPLICATE
    assert first.conversation is not None
    assert Conversation.objects.count() == conversations_before + 1
    assert InboundMail.objects.filter(conversation__isnull=False).count() == 1
    assert imap.poll_mailbox(mailbox) == 0


# --- too large -----------------------------------------------------------------------------------
def test_an_over_limit_message_is_left_on_the_server_and_a_stand_in_names_it(
    imap_server: ImapServer,
    folder: str,
    mailbox: Mailbox,
    settings: Settings,
    customer: Customer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.MAIL_MAX_BYTES = 4000
    large = make_mail("Screenshots of the failed withdrawal", "x" * 10_000)
    size = len(large.as_bytes().replace(b"\n", b"\r\n"))  # as the server counts it
    uid = put(imap_server, folder, large)
    put(imap_server, folder, make_mail("A small one"))

    assert imap.poll_mailbox(mailbox) == 2

    stand_in = next(i for i in stored_from(mailbox) if i.message_id == large["Message-ID"][1:-1])
    assert stand_in.size < 4000
    inbound = processed(stand_in)
    assert inbound.state == InboundState.PROCESSED, inbound.reason
    assert inbound.subject == "Screenshots of the failed withdrawal"
    assert inbound.conversation is not None
    assert inbound.conversation.customer == customer
    body = inbound.conversation.messages.get(author_kind=AuthorKind.CUSTOMER).body
    assert f"UID {uid}" in body
    assert f"({size} bytes)" in body
    assert f"mailbox {mailbox.address}, folder {folder}" in body
    assert "xxxx" not in body
    assert f"IMAP message {uid}" in caplog.text and "over the limit" in caplog.text
    # The original stays where it was, marked so that it is not fetched at every poll.
    assert flags_on_server(imap_server, folder)[uid] == {imap.STORED_KEYWORD}
    assert imap.poll_mailbox(mailbox) == 0


# --- servers without keywords --------------------------------------------------------------------
def test_a_server_without_keywords_gets_seen_instead(
    imap_server: ImapServer, folder: str, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    select_folder = IMAPClient.select_folder

    def without_keywords(client: IMAPClient, *args: Any, **kwargs: Any) -> dict[bytes, Any]:
        answer: dict[bytes, Any] = select_folder(client, *args, **kwargs)
        answer[b"PERMANENTFLAGS"] = tuple(
            flag for flag in answer[b"PERMANENTFLAGS"] if flag != b"\\*"
        )
        return answer

    monkeypatch.setattr(IMAPClient, "select_folder", without_keywords)
    uid = put(imap_server, folder, make_mail())

    assert imap.poll_mailbox(mailbox) == 1

    assert flags_on_server(imap_server, folder)[uid] == {r"\Seen"}
    assert imap.poll_mailbox(mailbox) == 0


# --- failures: no mail, no exception, no weaker connection ---------------------------------------
def test_a_wrong_password_stores_nothing_and_is_logged(
    imap_server: ImapServer,
    folder: str,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "not-the-password")
    uid = put(imap_server, folder, make_mail())

    with caplog.at_level(logging.ERROR, logger="pharos.mail.imap"):
        assert imap.poll_mailbox(mailbox) == 0

    assert "IMAP poll of support@tidewell.example" in caplog.text
    assert "LoginError" in caplog.text
    assert "not-the-password" not in caplog.text
    assert stored_from(mailbox) == []
    assert flags_on_server(imap_server, folder)[uid] == set()


def test_a_missing_password_variable_stores_nothing_and_names_the_variable(
    imap_server: ImapServer,
    folder: str,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE)
    put(imap_server, folder, make_mail())

    assert imap.poll_mailbox(mailbox) == 0

    assert PASSWORD_VARIABLE in caplog.text
    assert stored_from(mailbox) == []


def test_a_server_whose_certificate_is_not_trusted_is_not_polled(
    imap_server: ImapServer,
    folder: str,
    mailbox: Mailbox,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.MAIL_IMAP_CA_FILE = ""  # only the system's CAs, which never signed this server
    uid = put(imap_server, folder, make_mail())
    logins_before = imap_server.log().count("Login: user=<support>")

    assert imap.poll_mailbox(mailbox) == 0

    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text
    assert "support@tidewell.example" in caplog.text
    # No fallback: the server never saw a login (put's own login aside).
    assert imap_server.log().count("Login: user=<support>") == logins_before
    assert stored_from(mailbox) == []
    assert flags_on_server(imap_server, folder)[uid] == set()


def test_a_certificate_for_another_host_name_is_refused(
    imap_server: ImapServer,
    folder: str,
    mailbox: Mailbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The certificate names 127.0.0.1 only; "localhost" is the same machine, but a
    certificate that does not name the host we asked for proves nothing."""
    mailbox.imap_host = "localhost"
    put(imap_server, folder, make_mail())

    assert imap.poll_mailbox(mailbox) == 0

    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text and "mismatch" in caplog.text
    assert stored_from(mailbox) == []


def test_a_plain_text_server_is_never_sent_the_login(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    """A server (or someone in between) speaking IMAP without TLS: Pharos does not fall
    back to plain text or offer STARTTLS's downgrade; the password never leaves."""
    listener = socket.create_server(("127.0.0.1", 0))
    received = bytearray()

    def plain_imap() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(5)
            connection.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Plain text ready\r\n")
            try:
                while chunk := connection.recv(4096):
                    received.extend(chunk)
            except OSError:
                pass

    thread = threading.Thread(target=plain_imap, daemon=True)
    thread.start()
    mailbox.imap_port = listener.getsockname()[1]
    try:
        assert imap.poll_mailbox(mailbox) == 0
    finally:
        thread.join(10)
        listener.close()

    assert received[:1] == b"\x16"  # a TLS handshake record, the first byte sent
    assert b"LOGIN" not in received.upper() and b"AUTHENTICATE" not in received.upper()
    assert b"imap-test-password" not in received
    assert "SSL" in caplog.text


# --- every mailbox, and the command --------------------------------------------------------------
def test_poll_all_polls_active_imap_mailboxes_and_a_broken_one_does_not_stop_the_others(
    imap_server: ImapServer, folder: str, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    security = Mailbox.objects.create(
        address=f"security-imap@{DOMAIN}",
        purpose="security",
        team=mailbox.team,
        description_en="Security",
        description_zh_hans="安全",
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_username=imap_server.username,
        imap_password_variable="PHAROS_TEST_IMAP_WRONG_PASSWORD",
        imap_folder=folder,
        position=0,  # polled first
    )
    monkeypatch.setenv("PHAROS_TEST_IMAP_WRONG_PASSWORD", "wrong")
    Mailbox.objects.create(
        address=f"paused@{DOMAIN}",
        purpose="feedback",
        team=mailbox.team,
        description_en="Paused",
        description_zh_hans="暂停",
        active=False,
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_username=imap_server.username,
        imap_password_variable=PASSWORD_VARIABLE,
        imap_folder=folder,
    )
    put(imap_server, folder, make_mail())

    assert imap.poll_all() == 1

    assert [inbound.mailbox for inbound in InboundMail.objects.all()] == [mailbox]
    assert not InboundMail.objects.filter(mailbox=security).exists()


def test_the_poll_imap_command_polls_once_and_says_how_many(
    imap_server: ImapServer, folder: str, mailbox: Mailbox, capsys: pytest.CaptureFixture[str]
) -> None:
    put(imap_server, folder, make_mail())
    put(imap_server, folder, make_mail("Second question"))

    call_command("poll_imap")
    call_command("poll_imap")

    assert capsys.readouterr().out.splitlines() == [
        "Stored 2 message(s) from IMAP.",
        "Stored 0 message(s) from IMAP.",
    ]
