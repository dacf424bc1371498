"""GET /api/v1/mail/mailboxes: the addresses customers can write to, and what for."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from . import services

router = Router(tags=["mail"])


class MailboxOut(Schema):
    address: str
    purpose: str
    purpose_label: str
    description_en: str
    description_zh_hans: str
    team: str


@router.get("/mailboxes", response=list[MailboxOut], url_name="mail-mailboxes")
def mailboxes(request: HttpRequest) -> list[MailboxOut]:
    return [
        MailboxOut(
            address=mailbox.address,
            purpose=mailbox.purpose,
            purpose_label=str(mailbox.get_purpose_display()),
            description_en=mailbox.description_en,
            description_zh_hans=mailbox.description_zh_hans,
            team=mailbox.team.slug,
        )
        for mailbox in services.active_mailboxes()
    ]
