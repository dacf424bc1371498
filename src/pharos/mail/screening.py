"""What a message is before it is trusted: possibly spoofed (claims our own domain but
came from outside), or automatic (an auto-reply, a list, a bounce), which never gets an
automatic answer, so that two robots cannot answer each other forever."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from django.conf import settings

from .models import Mailbox
from .parsing import ParsedMail

_RESULT = re.compile(
    r"\b(dmarc|dkim)\s*=\s*(\w+)[^;]*?(?:header\.(?:from|d|i)\s*=\s*@?([\w.-]+))?", re.I
)


def our_domains(mailboxes: Iterable[Mailbox]) -> set[str]:
    domains = {domain.lower() for domain in settings.PHAROS_BRAND["official_domains"]}
    return domains | {mailbox.domain for mailbox in mailboxes}


def is_our_domain(domain: str | None, ours: set[str]) -> bool:
    if not domain:
        return False
    domain = domain.lower().rstrip(".")
    return any(domain == own or domain.endswith("." + own) for own in ours)


def possible_spoof(mail: ParsedMail, peer: str, ours: set[str]) -> bool:
    """Mail whose From is one of our domains, unless it came from one of our own servers or
    a mail server we trust says the domain's DMARC (or DKIM) check passed."""
    if not is_our_domain(mail.sender_domain, ours):
        return False
    if in_networks(peer, settings.MAIL_INTERNAL_NETWORKS):
        return False
    return not _authenticated_by_trusted_server(mail, ours)


def in_networks(peer: str, networks: Iterable[str]) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    for network in networks:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def _authenticated_by_trusted_server(mail: ParsedMail, ours: set[str]) -> bool:
    trusted = {value.lower() for value in settings.MAIL_TRUSTED_AUTHSERV_IDS}
    for header in mail.authentication_results:
        authserv_id = header.split(";", 1)[0].strip().split()[0].lower() if header else ""
        if authserv_id not in trusted:
            continue
        for method, result, domain in _RESULT.findall(header):
            if result.lower() == "pass" and (
                method.lower() == "dmarc" or is_our_domain(domain, ours)
            ):
                return True
    return False


def deserves_acknowledgement(mail: ParsedMail, envelope_sender: str, source: str) -> bool:
    """Only a person's mail gets our automatic acknowledgement: not an auto-reply, a list,
    a bounce, or mail with an empty return path (the SMTP sign of automatic mail)."""
    if mail.auto_submitted or mail.is_bounce:
        return False
    return not (source == "smtp" and not envelope_sender.strip().strip("<>"))
