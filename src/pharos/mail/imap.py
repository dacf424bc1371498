"""Mail in from mailboxes hosted elsewhere: each active mailbox with an IMAP server is
polled (`pharos poll_imap`, or the thread `pharos mail_server` runs), and every message
found there is stored with services.accept_raw, exactly like mail arriving over SMTP.

How a message is taken, and why:

- **TLS from the first byte, verified.** Port 993 style: the connection is TLS before the
  server says a word, the certificate must chain to a trusted CA (the system's, plus
  settings.MAIL_IMAP_CA_FILE) and name the host. There is no plain-text connection and no
  STARTTLS, so nothing can be downgraded: a server we cannot verify is not polled at all,
  and the mailbox password never travels unprotected.
- **Read with BODY.PEEK[].** A plain FETCH of the body would set \\Seen; people who also
  read this mailbox in a mail client keep their unread mail unread.
- **Marked only after it is stored.** Pharos adds its own keyword, `$PharosStored`, once
  accept_raw has returned (the raw message is then committed and its processing queued),
  and only asks for messages without it. A message already read by a person is still
  taken; one taken before is not asked for again. Servers that do not allow keywords
  (PERMANENTFLAGS without `\\*`) get \\Seen instead, and unseen messages are asked for.
- **A crash between storing and marking** (the process killed, the connection dropped)
  means the message is fetched and stored again at the next poll. Nothing is lost, and
  nothing is answered twice: processing recognises the Message-ID as processed before and
  ends the copy as a duplicate. The window is one message wide: each one is marked as
  soon as it is stored.
- **Too large.** A message over settings.MAIL_MAX_BYTES (the size the SMTP server
  refuses) is not downloaded: its headers are, and a stand-in with those headers and a
  short note (size, mailbox, folder, UID) is stored instead, so the sender gets a
  conversation and the agents know where the original is. Nothing is silently dropped.
- **Failures** (network, TLS, login, a missing password) are logged with the mailbox's
  address and end that mailbox's poll; what was stored until then stays stored, and the
  next poll tries again. One broken mailbox does not stop the others.

The password is not in the database: Mailbox.imap_password_variable names the
environment variable that holds it.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Iterator, Sequence
from email import charset
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from . import services
from .models import Mailbox

logger = logging.getLogger(__name__)

STORED_KEYWORD = "$PharosStored"
BATCH_SIZE = 50
TIMEOUT_SECONDS = 60.0
SEEN = r"\Seen"
# Headers that describe the original body, replaced with the stand-in's own.
_BODY_HEADERS = ("MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition")


def poll_all() -> int:
    """Poll every active mailbox that has an IMAP server; how many messages were stored.
    A mailbox that fails, for whatever reason, is logged and the next one is polled."""
    stored = 0
    for mailbox in Mailbox.objects.filter(active=True).exclude(imap_host=""):
        if not mailbox.polls_imap:
            continue
        try:
            stored += poll_mailbox(mailbox)
        except Exception:
            # Not a network problem (those are handled inside): the database, a bug.
            logger.exception("IMAP poll of %s failed", mailbox.address)
    return stored


def poll_mailbox(mailbox: Mailbox) -> int:
    """Store the messages of the mailbox's IMAP folder that Pharos has not stored yet;
    how many were stored. Network, TLS and login failures are logged, not raised."""
    variable = mailbox.imap_password_variable
    password = os.environ.get(variable, "") if variable else ""
    if not password:
        logger.error(
            "IMAP poll of %s skipped: the environment variable %s holding its password is not set",
            mailbox.address,
            variable or "(none configured)",
        )
        return 0
    stored = 0
    try:
        with IMAPClient(
            mailbox.imap_host,
            mailbox.imap_port,
            ssl=True,
            ssl_context=_tls_context(),
            timeout=TIMEOUT_SECONDS,
        ) as client:
            client.login(mailbox.imap_username, password)
            for _ in _store_new_messages(client, mailbox):
                stored += 1
    except (OSError, IMAPClientError) as failure:  # ssl.SSLError is an OSError
        # No traceback: an unreachable server or a refused login is expected, not a bug.
        logger.error(
            "IMAP poll of %s (%s:%s, user %s) failed after %d message(s): %s: %s",
            mailbox.address,
            mailbox.imap_host,
            mailbox.imap_port,
            mailbox.imap_username,
            stored,
            type(failure).__name__,
            failure,
        )
    if stored:
        logger.info("IMAP poll of %s stored %d message(s)", mailbox.address, stored)
    return stored


def _tls_context() -> ssl.SSLContext:
    """Certificates and host names verified against the system's CAs, plus ours if set."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if settings.MAIL_IMAP_CA_FILE:
        context.load_verify_locations(cafile=settings.MAIL_IMAP_CA_FILE)
    return context


def _store_new_messages(client: IMAPClient, mailbox: Mailbox) -> Iterator[int]:
    """Store each new message, then mark it; yields the UIDs stored."""
    folder = client.select_folder(mailbox.imap_folder)
    permanent = folder.get(b"PERMANENTFLAGS")
    # RFC 3501: without PERMANENTFLAGS, every flag can be set permanently.
    keywords_allowed = permanent is None or b"\\*" in permanent
    if keywords_allowed:
        mark, criteria = STORED_KEYWORD, ["NOT", "DELETED", "UNKEYWORD", STORED_KEYWORD]
    else:
        mark, criteria = SEEN, ["NOT", "DELETED", "UNSEEN"]
    uids = sorted(client.search(criteria))
    for start in range(0, len(uids), BATCH_SIZE):
        batch = uids[start : start + BATCH_SIZE]
        sizes = {
            uid: int(data[b"RFC822.SIZE"])
            for uid, data in client.fetch(batch, ["RFC822.SIZE"]).items()
            if b"RFC822.SIZE" in data
        }
        for group in _groups_within(sizes, settings.MAIL_MAX_BYTES):
            for uid, raw in _fetch(client, group, mailbox, sizes):
                services.accept_raw(
                    raw, source="imap", mailbox=mailbox, recipients=[mailbox.address]
                )
                # Only now: a crash before this line means fetching it again, not losing it.
                client.add_flags([uid], [mark], silent=True)
                yield uid


def _groups_within(sizes: dict[int, int], limit: int) -> Iterator[list[int]]:
    """The UIDs in groups of at most `limit` bytes together (so a batch of large messages
    is not held in memory at once); an over-limit message alone in its group."""
    group: list[int] = []
    total = 0
    for uid in sorted(sizes):
        size = min(sizes[uid], limit)
        if group and total + size > limit:
            yield group
            group, total = [], 0
        group.append(uid)
        total += size
    if group:
        yield group


def _fetch(
    client: IMAPClient, uids: Sequence[int], mailbox: Mailbox, sizes: dict[int, int]
) -> Iterator[tuple[int, bytes]]:
    """Each message's bytes, or a stand-in for one over the size limit. Messages expunged
    since the search are simply absent from the answer."""
    limit = settings.MAIL_MAX_BYTES
    whole = [uid for uid in uids if sizes[uid] <= limit]
    too_large = [uid for uid in uids if sizes[uid] > limit]
    if whole:
        # PEEK: reading the message must not mark it read in the customer's mailbox.
        for uid, data in sorted(client.fetch(whole, ["BODY.PEEK[]"]).items()):
            raw = data.get(b"BODY[]")
            if isinstance(raw, bytes):
                yield uid, raw
    if too_large:
        for uid, data in sorted(client.fetch(too_large, ["BODY.PEEK[HEADER]"]).items()):
            headers = data.get(b"BODY[HEADER]")
            if isinstance(headers, bytes):
                logger.warning(
                    "IMAP message %s in %s/%s is %d bytes, over the limit of %d: stored a "
                    "stand-in and left the original on the server",
                    uid,
                    mailbox.address,
                    mailbox.imap_folder,
                    sizes[uid],
                    limit,
                )
                yield uid, stand_in_for_large_message(headers, sizes[uid], mailbox, uid)


def stand_in_for_large_message(headers: bytes, size: int, mailbox: Mailbox, uid: int) -> bytes:
    """The original's headers (sender, subject, Message-ID, thread) over a short text body
    that says where the original is, so the conversation exists and agents can find it."""
    message = BytesHeaderParser(policy=compat32).parsebytes(headers)
    for name in _BODY_HEADERS:
        del message[name]
    message["MIME-Version"] = "1.0"
    message["X-Pharos-Stand-In"] = f"original of {size} bytes left on the IMAP server, UID {uid}"
    # Quoted-printable, not base64: the stored raw file stays readable to an admin.
    utf8 = charset.Charset("utf-8")
    utf8.body_encoding = charset.QP
    megabytes = size / 2**20
    message.set_payload(
        f"The original message of {megabytes:.1f} MB ({size} bytes) was over the limit and "
        f"was left in the mailbox {mailbox.address}, folder {mailbox.imap_folder}, "
        f"UID {uid}.\n",
        charset=utf8,
    )
    return message.as_bytes()
