"""Which conversation an incoming email continues: the Message-IDs it replies to, or the
reference number in its subject; and only when it comes from that conversation's
customer, so that nobody can write into someone else's conversation by quoting its
reference."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pharos.conversations.models import Conversation

from .models import EmailThread, ThreadMessageId
from .parsing import ParsedMail

REFERENCE_IN_SUBJECT = re.compile(r"\bPH-(\d{4})-(\d{6})\b", re.IGNORECASE)
MAX_MERGE_HOPS = 10
MAX_THREAD_REFERENCES = 20  # Message-IDs kept on a thread for the References header


def message_key(message_id: str) -> str:
    return hashlib.sha256(message_id.strip().strip("<>").lower().encode()).hexdigest()


def remember_message_ids(
    conversation: Conversation, message_ids: Iterable[str], *, outbound: bool = False
) -> None:
    """Tie Message-IDs to the conversation, so that replies naming them find it (one
    already tied stays with its conversation)."""
    ThreadMessageId.objects.bulk_create(
        [
            ThreadMessageId(
                key=message_key(message_id),
                message_id=message_id[:255],
                conversation=conversation,
                outbound=outbound,
            )
            for message_id in dict.fromkeys(message_ids)
            if message_id
        ],
        ignore_conflicts=True,
    )


def conversation_replied_to(mail: ParsedMail) -> Conversation | None:
    """The conversation of the newest Message-ID the mail replies to that we know."""
    candidates = [*mail.in_reply_to, *reversed(mail.references)]
    if not candidates:
        return None
    keys = [message_key(message_id) for message_id in candidates]
    found = {
        row.key: row.conversation
        for row in ThreadMessageId.objects.filter(key__in=keys).select_related("conversation")
    }
    for key in keys:
        if key in found:
            return _current(found[key])
    return None


def conversation_named_in_subject(subject: str) -> Conversation | None:
    match = REFERENCE_IN_SUBJECT.search(subject)
    if match is None:
        return None
    reference = f"PH-{match.group(1)}-{match.group(2)}"
    conversation = Conversation.objects.filter(reference=reference).first()
    return _current(conversation) if conversation else None


def belongs_to(conversation: Conversation, sender: str) -> bool:
    """Whether `sender` is the conversation's customer or the address it is with."""
    sender = sender.lower()
    customer = conversation.customer
    if customer is not None and (customer.user.email or "").lower() == sender:
        return True
    thread = EmailThread.objects.filter(conversation=conversation).first()
    return thread is not None and thread.address.lower() == sender


def _current(conversation: Conversation) -> Conversation:
    """A merged conversation lives on in the one it was merged into."""
    for _ in range(MAX_MERGE_HOPS):
        if conversation.merged_into_id is None:
            break
        conversation = Conversation.objects.get(pk=conversation.merged_into_id)
    return conversation
