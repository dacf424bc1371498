"""Email in: every message is stored raw first (accept_raw, from the SMTP server or the
IMAP poller), then processed by a background task (process): parsed, screened, threaded
into its conversation or opened as a new one for the mailbox's team, and acknowledged.
A message that cannot be processed stays in the failed list with the reason; one whose
Message-ID was processed before is not processed again."""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from pharos.accounts.models import Customer
from pharos.conversations import services as conversations
from pharos.conversations.attachments import AttachmentRejected, CleanFile, clean_upload
from pharos.conversations.models import Channel, Conversation, Message, Status
from pharos.conversations.writing import system_note
from pharos.core import ratelimit
from pharos.core.tasks import enqueue_with_transaction
from pharos.trust import screening

from . import outbound, tasks, threads
from .models import EmailThread, InboundMail, InboundState, Mailbox, OutboundMail, ThreadMessageId
from .parsing import MailParseError, ParsedMail, parse_mail
from .screening import deserves_acknowledgement, is_our_domain, our_domains, possible_spoof

logger = logging.getLogger(__name__)

MAILBOX_CACHE_SECONDS = 60
INTAKE_BATCH = 20  # messages claimed at a time
INTAKE_BUDGET_SECONDS = 10.0  # then the intake makes way for the worker's other tasks
INTAKE_WAKE_AFTER = timedelta(minutes=1)
INTERRUPTED_AFTER = timedelta(minutes=10)  # processing one message takes well under a second
MAX_ATTEMPTS = 3
ACKNOWLEDGEMENT_RETRY_DELAY = timedelta(minutes=5)
MAX_BODY = conversations.MAX_BODY_CHARACTERS - 200
_UID_CLAIM = re.compile(r"\bUID\s*[:：#]?\s*(\d{6,12})\b", re.IGNORECASE)
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


# --- mailboxes -----------------------------------------------------------------------------------
def active_mailboxes() -> list[Mailbox]:
    """The mailboxes that receive mail, cached for a minute (the SMTP server asks for
    every recipient)."""
    mailboxes: list[Mailbox] | None = cache.get("mail:mailboxes")
    if mailboxes is None:
        mailboxes = list(Mailbox.objects.filter(active=True).select_related("team"))
        cache.set("mail:mailboxes", mailboxes, MAILBOX_CACHE_SECONDS)
    return mailboxes


def forget_mailboxes() -> None:
    cache.delete("mail:mailboxes")


def mailbox_for(addresses: Sequence[str]) -> Mailbox | None:
    """The first of our mailboxes among the addresses (recipients, To and Cc)."""
    by_address = {mailbox.address.lower(): mailbox for mailbox in active_mailboxes()}
    for address in addresses:
        mailbox = by_address.get(address.strip().strip("<>").lower())
        if mailbox is not None:
            return mailbox
    return None


# --- accepting -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Arrival:
    """A message as it came in, with its envelope."""

    raw: bytes
    source: str
    envelope_sender: str = ""
    recipients: Sequence[str] = ()
    peer: str = ""
    mailbox: Mailbox | None = None


def accept_raw(
    raw: bytes,
    *,
    source: str,
    envelope_sender: str = "",
    recipients: Sequence[str] = (),
    peer: str = "",
    mailbox: Mailbox | None = None,
) -> InboundMail:
    """Store a message exactly as it arrived and make sure the intake will process it:
    once this returns, the message cannot be lost."""
    (stored,) = accept_all([Arrival(raw, source, envelope_sender, recipients, peer, mailbox)])
    return stored


def accept_all(arrivals: Sequence[Arrival]) -> list[InboundMail]:
    """Store messages that arrived together (the SMTP server's sessions of one moment) in
    one transaction, and make sure the intake will process them: all are stored, or
    none and the error is raised."""
    stored = [_raw_stored(arrival) for arrival in arrivals]
    try:
        with transaction.atomic():
            InboundMail.objects.bulk_create(stored)
            # Another message waiting means an intake is queued already (queued when the
            # first of them arrived, and it takes everything waiting when it runs).
            others = _waiting().exclude(pk__in=[inbound.pk for inbound in stored])
            if not others.exists():
                enqueue_with_transaction(tasks.process_waiting_mail)
    except Exception:
        for inbound in stored:
            inbound.raw.delete(save=False)
        raise
    return stored


def _raw_stored(arrival: Arrival) -> InboundMail:
    """The record of a message, its raw bytes written to storage."""
    raw = arrival.raw
    message_id = _message_id_header(raw)
    inbound = InboundMail(
        mailbox=arrival.mailbox or mailbox_for(arrival.recipients),
        source=arrival.source,
        size=len(raw),
        message_key=threads.message_key(message_id)
        if message_id
        else hashlib.sha256(raw).hexdigest(),
        message_id=message_id[:255],
        envelope_sender=arrival.envelope_sender[:320],
        recipients=[address[:320] for address in arrival.recipients][:50],
        peer=arrival.peer[:64],
    )
    inbound.raw.save(f"{uuid.uuid4().hex}.eml", ContentFile(raw), save=False)
    return inbound


def _message_id_header(raw: bytes) -> str:
    """The Message-ID, read from the headers alone (the body is parsed later, by the task)."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
        value = str(headers.get("Message-ID") or "")
    except Exception:
        return ""
    return " ".join(value.split()).strip().strip("<>")


# --- the intake ----------------------------------------------------------------------------------
def process_waiting(*, budget_seconds: float = INTAKE_BUDGET_SECONDS) -> int:
    """The intake (a background task): process the stored messages waiting, oldest first,
    a batch at a time, each batch claimed first so that two workers never take the same
    message. After `budget_seconds` it queues itself again and returns, so that the
    worker's other tasks get their turn in a flood. How many it processed."""
    recover_interrupted()
    deadline = time.monotonic() + budget_seconds
    processed = 0
    while True:
        batch = _claim_waiting(INTAKE_BATCH)
        for inbound in batch:
            _process_claimed(inbound)
        processed += len(batch)
        if len(batch) < INTAKE_BATCH:
            return processed
        if time.monotonic() > deadline:
            with transaction.atomic():
                enqueue_with_transaction(tasks.process_waiting_mail)
            return processed


def wake_intake() -> bool:
    """The safety net the mail server runs every minute: queue the intake if messages
    have waited too long, which happens only after a worker was stopped in the middle
    of a batch, or when a message was stored just as the intake finished. True if
    queued."""
    recover_interrupted()
    stale = timezone.now() - INTAKE_WAKE_AFTER
    if not _waiting().filter(received_at__lt=stale).exists():
        return False
    with transaction.atomic():
        enqueue_with_transaction(tasks.process_waiting_mail)
    return True


def recover_interrupted() -> int:
    """Messages a worker took but never finished (it was stopped or killed): back to the
    waiting ones, or, after MAX_ATTEMPTS, to the failed list so that a message that
    kills its worker cannot do it for ever."""
    cutoff = timezone.now() - INTERRUPTED_AFTER
    interrupted = InboundMail.objects.filter(state=InboundState.PROCESSING, claimed_at__lt=cutoff)
    given_up = interrupted.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=InboundState.FAILED,
        reason=f"Processing was interrupted {MAX_ATTEMPTS} times: it stopped the worker.",
        processed_at=timezone.now(),
    )
    return given_up + interrupted.update(state=InboundState.RECEIVED)


def _waiting() -> models.QuerySet[InboundMail]:
    return InboundMail.objects.filter(state=InboundState.RECEIVED)


def _claim_waiting(limit: int) -> list[InboundMail]:
    with transaction.atomic():
        # Rows another worker is claiming at this moment are skipped (PostgreSQL); SQLite
        # runs one writing transaction at a time.
        pks = list(
            _waiting()
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        _claim(_waiting().filter(pk__in=pks))
    return list(
        InboundMail.objects.select_related("mailbox__team")
        .filter(pk__in=pks, state=InboundState.PROCESSING)
        .order_by("pk")
    )


def _claim(inbound: models.QuerySet[InboundMail]) -> int:
    return inbound.update(
        state=InboundState.PROCESSING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )


def process(inbound_id: int) -> InboundMail:
    """Process one stored message now, if it is still waiting (the intake does this for
    every message; tests and tools call it for one)."""
    claimed = _claim(_waiting().filter(pk=inbound_id))
    inbound = InboundMail.objects.select_related("mailbox__team").get(pk=inbound_id)
    if not claimed:
        return inbound  # processed already, or being processed by the intake
    return _process_claimed(inbound)


def retry(inbound: InboundMail) -> InboundMail:
    """An admin processes a failed or held message again (held: the flood limit waived)."""
    held = inbound.state == InboundState.HELD
    retried = InboundMail.objects.filter(
        pk=inbound.pk, state__in=[InboundState.FAILED, InboundState.HELD]
    )
    if not _claim(retried):
        return inbound
    inbound = InboundMail.objects.select_related("mailbox__team").get(pk=inbound.pk)
    inbound.reason = ""
    return _process_claimed(inbound, waive_flood_limit=held)


def _process_claimed(inbound: InboundMail, *, waive_flood_limit: bool = False) -> InboundMail:
    """Turn a claimed message into a conversation message; a failure is kept with its
    reason (nothing of it was written: each step that writes is one transaction)."""
    try:
        finished, acknowledgement = _process(inbound, waive_flood_limit)
    except Exception as failure:
        logger.exception("Email %s could not be processed", inbound.pk)
        inbound.conversation = inbound.conversation_message = None  # rolled back
        return _finish(inbound, InboundState.FAILED, f"{type(failure).__name__}: {failure}")
    if acknowledgement is not None:
        _send_recorded(acknowledgement)
    return finished


Processed = tuple[InboundMail, OutboundMail | None]  # and the email to send once committed


def _process(inbound: InboundMail, waive_flood_limit: bool) -> Processed:
    try:
        with inbound.raw.open("rb") as file:
            raw = file.read()
        mail = parse_mail(raw)
    except (MailParseError, OSError) as problem:
        return _finish(inbound, InboundState.FAILED, f"Could not be read: {problem}"), None
    # From here on nothing stores, shows or sends a secret the mail held.
    mail, secrets = screening.screen_fields(
        mail, "subject", "from_name", "text", "new_text", "html"
    )
    processed = _handle(inbound, mail, secrets, waive_flood_limit)
    # Whatever became of it (a duplicate, a failure, a bounce), the stored original loses
    # the secret; only held mail keeps it, to be processed whole once the flood is over.
    if secrets and processed[0].state != InboundState.HELD:
        _replace_original(inbound, mail, secrets)
    return processed


def _handle(
    inbound: InboundMail, mail: ParsedMail, secrets: tuple[str, ...], waive_flood_limit: bool
) -> Processed:
    inbound.from_address = (mail.from_address or "")[:320]
    inbound.subject = mail.subject[:250]
    inbound.automatic = mail.auto_submitted or mail.is_bounce
    if mail.is_bounce:
        return _record_bounce(inbound, mail), None
    sender = mail.from_address or _plain_address(inbound.envelope_sender)
    if not sender:
        reason = "No sender address (From or return path)."
        return _finish(inbound, InboundState.FAILED, reason), None
    mailbox = inbound.mailbox or mailbox_for([*mail.to, *mail.cc])
    if mailbox is None:
        reason = "Not addressed to any of our mailboxes."
        return _finish(inbound, InboundState.FAILED, reason), None
    inbound.mailbox = mailbox
    # The SMTP server refuses a flood at the door; mail fetched by IMAP is held instead.
    if (
        inbound.source == InboundMail.Source.IMAP
        and not waive_flood_limit
        and not ratelimit.allow("mail_sender", f"{mailbox.pk}:{sender}")
    ):
        reason = "The sender sent too many messages at once."
        return _finish(inbound, InboundState.HELD, reason), None
    spoof = possible_spoof(mail, inbound.peer, our_domains(active_mailboxes()))
    inbound.spoof_suspected = spoof
    return _deliver(inbound, mail, mailbox, sender, spoof, secrets)


def _deliver(
    inbound: InboundMail,
    mail: ParsedMail,
    mailbox: Mailbox,
    sender: str,
    spoof: bool,
    secrets: tuple[str, ...] = (),
) -> Processed:
    customer = None if spoof else _customer_with_address(sender)
    conversation, notes = _conversation_to_continue(mail, sender)
    files, refused = _clean_files(mail)
    message = conversations.InboundMessage(
        body=_body(mail, bool(files)),
        customer=customer,
        files=files,
        payload={"email": _summary(inbound, mail, sender, refused)}
        | ({"redacted": list(secrets)} if secrets else {}),
    )
    acknowledgement: OutboundMail | None = None
    thread: EmailThread | None
    try:
        with transaction.atomic():
            opened = conversation is None
            if conversation is None:
                conversation, stored, thread = _open(mailbox, mail, message, sender, spoof)
                if _deserves_acknowledgement(inbound, mail, mailbox, sender, spoof):
                    acknowledgement = outbound.new_acknowledgement(conversation, thread)
            else:
                stored = conversations.receive_from_channel(conversation, message)
                thread = _thread_continues(conversation, mail)
                if secrets and thread is not None and not spoof:
                    acknowledgement = outbound.new_warning(conversation, thread, stored)
            screening.secrets_removed(conversation, secrets)
            for note in notes + _notes_for_agents(mail, customer, spoof, refused, opened):
                system_note(conversation, note)
            threads.remember_message_ids(conversation, [mail.message_id or ""])
            finished = _finish(
                inbound, InboundState.PROCESSED, "", conversation=conversation, message=stored
            )
    except IntegrityError:
        # This Message-ID was processed before (or by another worker at the same moment):
        # the one-processed-per-key constraint refused the second; nothing was written.
        inbound.conversation = None  # its rows were rolled back
        if _processed_before(inbound):
            reason = "This Message-ID was processed before."
            return _finish(inbound, InboundState.DUPLICATE, reason), None
        raise
    return finished, acknowledgement


def _deserves_acknowledgement(
    inbound: InboundMail, mail: ParsedMail, mailbox: Mailbox, sender: str, spoof: bool
) -> bool:
    """Never to a spoof, automatic mail or our own domain; not more than a few an hour to
    one address (a loop with something that passes for a person)."""
    return (
        not spoof
        and deserves_acknowledgement(mail, inbound.envelope_sender, inbound.source)
        and not is_our_domain(sender.rsplit("@", 1)[-1], our_domains([mailbox]))
        and ratelimit.allow("mail_acknowledgement", sender)
    )


def _send_recorded(mail: OutboundMail) -> None:
    """The acknowledgement (or warning) recorded with the conversation, sent once that is
    committed; if sending fails, a task tries again later (the failure is a note on the
    conversation and in the admin)."""
    try:
        outbound.send(mail)
    except Exception:
        logger.exception("The %s email of %s was not sent", mail.kind, mail.conversation)
        with transaction.atomic():
            enqueue_with_transaction(
                tasks.send_recorded_mail,
                mail.pk,
                run_after=timezone.now() + ACKNOWLEDGEMENT_RETRY_DELAY,
            )


def _open(
    mailbox: Mailbox,
    mail: ParsedMail,
    message: conversations.InboundMessage,
    sender: str,
    spoof: bool,
) -> tuple[Conversation, Message, EmailThread]:
    tags = [f"mail:{mailbox.purpose}"]
    if spoof:
        tags.append("possible-spoof")
    if mail.auto_submitted:
        tags.append("automatic")
    conversation, first = conversations.open_from_channel(
        Channel.EMAIL,
        mailbox.team,
        mail.subject or "(no subject)",
        message,
        language=mail.language,
        tags=tags,
    )
    thread = EmailThread.objects.create(
        conversation=conversation,
        mailbox=mailbox,
        address=sender,
        name=mail.from_name[:200],
        subject=mail.subject[:250] or "(no subject)",
        last_inbound_message_id=(mail.message_id or "")[:255],
        references=[mail.message_id] if mail.message_id else [],
    )
    return conversation, first, thread


def _conversation_to_continue(
    mail: ParsedMail, sender: str
) -> tuple[Conversation | None, list[str]]:
    """The conversation this mail continues, if its sender is that conversation's; else
    None with a note for the agents about what the mail claimed."""
    found = threads.conversation_replied_to(mail) or threads.conversation_named_in_subject(
        mail.subject
    )
    if found is None:
        return None, []
    if not threads.belongs_to(found, sender):
        return None, [
            f"This email refers to {found.reference}, but {sender} is not that conversation's "
            "customer, so it was opened on its own."
        ]
    if found.status == Status.CLOSED:
        return None, [f"Follow-up to {found.reference}, which is closed."]
    return found, []


def _thread_continues(conversation: Conversation, mail: ParsedMail) -> EmailThread | None:
    thread = EmailThread.objects.filter(conversation=conversation).select_related("mailbox").first()
    if thread is None or not mail.message_id:
        return thread
    thread.last_inbound_message_id = mail.message_id[:255]
    thread.references = [*thread.references, mail.message_id][-threads.MAX_THREAD_REFERENCES :]
    thread.save(update_fields=["last_inbound_message_id", "references"])
    return thread


def _notes_for_agents(
    mail: ParsedMail,
    customer: Customer | None,
    spoof: bool,
    refused: Sequence[str],
    opened: bool,
) -> list[str]:
    notes = []
    if spoof:
        notes.append(
            "Possible spoof: this email claims to come from our own domain but arrived from "
            "outside. Do not follow its instructions; the security team should look at it."
        )
    claimed = _UID_CLAIM.search(mail.text) if customer is None and opened and not spoof else None
    if claimed:
        notes.append(
            f"The sender's address is not linked to any account. They give UID "
            f"{claimed.group(1)}: not verified, confirm before sharing anything about it."
        )
    notes += [f"Attachment not kept: {reason}" for reason in refused]
    return notes


def _record_bounce(inbound: InboundMail, mail: ParsedMail) -> InboundMail:
    """A delivery failure of one of our emails: its conversation is told, nobody answers."""
    conversation = (
        _conversation_of_message_id(mail.bounced_message_id) if mail.bounced_message_id else None
    )
    with transaction.atomic():
        if conversation is not None:
            system_note(
                conversation,
                "An email to the customer could not be delivered"
                + (f": {mail.bounce_reason}" if mail.bounce_reason else "."),
            )
        return _finish(
            inbound, InboundState.IGNORED, "Delivery failure report.", conversation=conversation
        )


def _conversation_of_message_id(message_id: str) -> Conversation | None:
    row = (
        ThreadMessageId.objects.filter(key=threads.message_key(message_id))
        .select_related("conversation")
        .first()
    )
    return row.conversation if row else None


def _processed_before(inbound: InboundMail) -> bool:
    return (
        InboundMail.objects.filter(message_key=inbound.message_key, state=InboundState.PROCESSED)
        .exclude(pk=inbound.pk)
        .exists()
    )


def _finish(
    inbound: InboundMail,
    state: str,
    reason: str,
    *,
    conversation: Conversation | None = None,
    message: Message | None = None,
) -> InboundMail:
    inbound.state = state
    inbound.reason = reason[:2000]
    inbound.processed_at = timezone.now()
    inbound.conversation = conversation or inbound.conversation
    inbound.conversation_message = message
    inbound.save(
        update_fields=[
            "state", "reason", "processed_at", "conversation", "conversation_message",
            "attempts", "from_address", "subject", "automatic", "spoof_suspected", "mailbox",
        ]
    )  # fmt: skip
    return inbound


# --- secrets in mail ----------------------------------------------------------------------------
def _replace_original(inbound: InboundMail, mail: ParsedMail, secrets: Sequence[str]) -> None:
    """The stored original held a secret: it is replaced by its readable parts with the
    secret removed (the files are kept with the conversation), so that not even the
    admins' "download the original" hands it out."""
    stand_in = EmailMessage()
    stand_in["From"] = mail.from_address or inbound.envelope_sender or "unknown@invalid"
    stand_in["To"] = ", ".join(mail.to) or ", ".join(inbound.recipients)
    stand_in["Subject"] = mail.subject
    if mail.message_id:
        stand_in["Message-ID"] = f"<{mail.message_id}>"
    stand_in["X-Pharos-Redacted"] = ", ".join(secrets)
    stand_in.set_content(
        "[Pharos] The original of this email contained a secret and was replaced by its "
        f"text with the secret removed ({', '.join(secrets)}). Its files are kept with the "
        "conversation.\n\n" + mail.text
    )
    old = inbound.raw.name
    data = stand_in.as_bytes()
    try:
        inbound.raw.save(f"{uuid.uuid4().hex}.eml", ContentFile(data), save=False)
        InboundMail.objects.filter(pk=inbound.pk).update(raw=inbound.raw.name, size=len(data))
        inbound.raw.storage.delete(old)
    except OSError:
        logger.exception("The original of email %s still holds a secret", inbound.pk)


# --- the message as agents see it ---------------------------------------------------------------
def _customer_with_address(address: str) -> Customer | None:
    return Customer.objects.select_related("user").filter(user__email=address.lower()).first()


def _clean_files(mail: ParsedMail) -> tuple[list[CleanFile], list[str]]:
    """Attachments through the same checks as a ticket's uploads; the first five kept."""
    accepted: list[CleanFile] = []
    refused: list[str] = []
    for attachment in mail.attachments:
        try:
            clean = clean_upload(attachment.filename, attachment.data)
        except AttachmentRejected as refusal:
            refused.append(str(refusal))
            continue
        if len(accepted) >= settings.ATTACHMENT_MAX_PER_MESSAGE:
            refused.append(f"{clean.name}: more than {len(accepted)} files in one email.")
            continue
        accepted.append(clean)
    return accepted, refused


def _body(mail: ParsedMail, has_files: bool) -> str:
    text = (mail.new_text or mail.text).strip()
    if not text:
        return "(Files only.)" if has_files else "(This email has no text.)"
    if len(text) > MAX_BODY:
        return text[:MAX_BODY] + "\n[…] (The rest is in the original email.)"
    return text


def _summary(
    inbound: InboundMail, mail: ParsedMail, sender: str, refused: Sequence[str]
) -> dict[str, Any]:
    return {
        "inbound": inbound.pk,
        "from": sender,
        "name": mail.from_name[:200],
        "subject": mail.subject[:250],
        "trimmed": mail.new_text.strip() != mail.text.strip(),
        "problems": list(mail.problems)[:20],
        "refused": list(refused)[:20],
    }


def _plain_address(value: str) -> str:
    value = value.strip().strip("<>").lower()
    return value if _ADDRESS.match(value) else ""
