"""Email in: every message is stored raw first (accept_raw, from the SMTP server or the
IMAP poller), then processed by a background task (process): parsed, screened, threaded
into its conversation or opened as a new one for the mailbox's team, and acknowledged.
A message that cannot be processed stays in the failed list with the reason; one whose
Message-ID was processed before is not processed again."""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Sequence
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from pharos.accounts.models import Customer
from pharos.conversations import services as conversations
from pharos.conversations.attachments import AttachmentRejected, CleanFile, clean_upload
from pharos.conversations.models import Channel, Conversation, Message, Status
from pharos.conversations.writing import system_note
from pharos.core import ratelimit
from pharos.core.tasks import enqueue_with_transaction

from . import outbound, tasks, threads
from .models import EmailThread, InboundMail, InboundState, Mailbox, ThreadMessageId
from .parsing import MailParseError, ParsedMail, parse_mail
from .screening import deserves_acknowledgement, is_our_domain, our_domains, possible_spoof

logger = logging.getLogger(__name__)

MAILBOX_CACHE_SECONDS = 60
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
def accept_raw(
    raw: bytes,
    *,
    source: str,
    envelope_sender: str = "",
    recipients: Sequence[str] = (),
    peer: str = "",
    mailbox: Mailbox | None = None,
) -> InboundMail:
    """Store a message exactly as it arrived and queue its processing, in one transaction:
    once this returns, the message cannot be lost."""
    message_id = _message_id_header(raw)
    inbound = InboundMail(
        mailbox=mailbox or mailbox_for(recipients),
        source=source,
        size=len(raw),
        message_key=threads.message_key(message_id)
        if message_id
        else hashlib.sha256(raw).hexdigest(),
        message_id=message_id[:255],
        envelope_sender=envelope_sender[:320],
        recipients=[address[:320] for address in recipients][:50],
        peer=peer[:64],
    )
    inbound.raw.save(f"{uuid.uuid4().hex}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            inbound.save(force_insert=True)
            enqueue_with_transaction(tasks.process_inbound_mail, inbound.pk)
    except Exception:
        inbound.raw.delete(save=False)
        raise
    return inbound


def _message_id_header(raw: bytes) -> str:
    """The Message-ID, read from the headers alone (the body is parsed later, by the task)."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:65536])
        value = str(headers.get("Message-ID") or "")
    except Exception:
        return ""
    return " ".join(value.split()).strip().strip("<>")


# --- processing ----------------------------------------------------------------------------------
def process(inbound_id: int) -> InboundMail:
    """Turn a stored message into a conversation message. Safe to run again: a message
    already processed (or a copy of one) is left as it is."""
    inbound = InboundMail.objects.select_related("mailbox__team").get(pk=inbound_id)
    if inbound.state in {InboundState.PROCESSED, InboundState.DUPLICATE, InboundState.IGNORED}:
        return inbound
    inbound.attempts += 1
    try:
        return _process(inbound)
    except Exception as failure:
        logger.exception("Email %s could not be processed", inbound.pk)
        return _finish(inbound, InboundState.FAILED, f"{type(failure).__name__}: {failure}")


def retry(inbound: InboundMail) -> InboundMail:
    """An admin processes a failed or held message again (held: the flood limit waived)."""
    if inbound.state not in {InboundState.FAILED, InboundState.HELD}:
        return inbound
    InboundMail.objects.filter(pk=inbound.pk).update(state=InboundState.RECEIVED, reason="")
    return process(inbound.pk)


def _process(inbound: InboundMail) -> InboundMail:
    held_before = inbound.state == InboundState.HELD
    try:
        with inbound.raw.open("rb") as file:
            raw = file.read()
        mail = parse_mail(raw)
    except (MailParseError, OSError) as problem:
        return _finish(inbound, InboundState.FAILED, f"Could not be read: {problem}")
    inbound.from_address = (mail.from_address or "")[:320]
    inbound.subject = mail.subject[:250]
    inbound.automatic = mail.auto_submitted or mail.is_bounce
    if mail.is_bounce:
        return _record_bounce(inbound, mail)
    sender = mail.from_address or _plain_address(inbound.envelope_sender)
    if not sender:
        return _finish(inbound, InboundState.FAILED, "No sender address (From or return path).")
    mailbox = inbound.mailbox or mailbox_for([*mail.to, *mail.cc])
    if mailbox is None:
        return _finish(inbound, InboundState.FAILED, "Not addressed to any of our mailboxes.")
    inbound.mailbox = mailbox
    # The SMTP server refuses a flood at the door; mail fetched by IMAP is held instead.
    if (
        inbound.source == InboundMail.Source.IMAP
        and not held_before
        and not ratelimit.allow("mail_sender", f"{mailbox.pk}:{sender}")
    ):
        return _finish(inbound, InboundState.HELD, "The sender sent too many messages at once.")
    spoof = possible_spoof(mail, inbound.peer, our_domains(active_mailboxes()))
    inbound.spoof_suspected = spoof
    return _deliver(inbound, mail, mailbox, sender, spoof)


def _deliver(
    inbound: InboundMail, mail: ParsedMail, mailbox: Mailbox, sender: str, spoof: bool
) -> InboundMail:
    customer = None if spoof else _customer_with_address(sender)
    conversation, notes = _conversation_to_continue(mail, sender)
    files, refused = _clean_files(mail)
    message = conversations.InboundMessage(
        body=_body(mail, bool(files)),
        customer=customer,
        files=files,
        payload={"email": _summary(inbound, mail, sender, refused)},
    )
    thread: EmailThread | None = None  # of a conversation opened here
    try:
        with transaction.atomic():
            opened = conversation is None
            if conversation is None:
                conversation, stored, thread = _open(mailbox, mail, message, sender, spoof)
            else:
                stored = conversations.receive_from_channel(conversation, message)
                _thread_continues(conversation, mail)
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
            return _finish(inbound, InboundState.DUPLICATE, "This Message-ID was processed before.")
        raise
    if (
        thread is not None
        and not spoof
        and deserves_acknowledgement(mail, inbound.envelope_sender, inbound.source)
        and not is_our_domain(sender.rsplit("@", 1)[-1], our_domains([mailbox]))
        and ratelimit.allow("mail_acknowledgement", sender)
    ):
        _acknowledge(conversation, thread)
    return finished


def _acknowledge(conversation: Conversation, thread: EmailThread) -> None:
    """Sent from this task once the conversation is committed; if sending fails, a task
    of its own tries again later (the failure is on the conversation and in the admin)."""
    try:
        outbound.acknowledge(conversation, thread)
    except Exception:
        logger.exception("The acknowledgement of %s was not sent", conversation.reference)
        with transaction.atomic():
            enqueue_with_transaction(
                tasks.send_acknowledgement,
                conversation.pk,
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


def _thread_continues(conversation: Conversation, mail: ParsedMail) -> None:
    thread = EmailThread.objects.filter(conversation=conversation).first()
    if thread is None or not mail.message_id:
        return
    thread.last_inbound_message_id = mail.message_id[:255]
    thread.references = [*thread.references, mail.message_id][-20:]
    thread.save(update_fields=["last_inbound_message_id", "references"])


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
