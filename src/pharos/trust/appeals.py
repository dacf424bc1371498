"""The unlock appeal (services): a customer whose account is locked submits what the
security team needs, complete or not at all; it becomes a conversation of the security
team with a checklist; a security agent approves (the exchange unlocks the account),
rejects with a reason, or asks for more, and the customer is told in their language.
The ID number and the documents are for security agents only, and every look at a
document is audited."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pharos.accounts.models import Customer, StaffRole, Team, User
from pharos.accounts.services import record_audit_event, staff_role
from pharos.conversations import services as conversations
from pharos.conversations.attachments import CleanFile
from pharos.conversations.models import Channel, Priority, Status
from pharos.conversations.writing import system_note
from pharos.exchange.gateway import ExchangeError, get_gateway

from . import screening
from .models import (
    OPEN_APPEAL_STATES,
    AppealDocument,
    AppealState,
    BlockedAction,
    DocumentKind,
    UnlockAppeal,
)

SECURITY_TEAM = "security"
APPEAL_TAG = "unlock-appeal"
REQUIRED_DOCUMENTS = (DocumentKind.ID_FRONT, DocumentKind.ID_BACK, DocumentKind.SELFIE)
MAX_FILES_PER_KIND = 5


class AppealRefused(conversations.ConversationError):
    """An appeal that cannot be taken or decided as asked; the message says why."""


@dataclass(frozen=True)
class AppealForm:
    """What the customer filled in (already cleaned by the form)."""

    uid: str
    registered_contact: str
    kyc_name: str
    id_number: str
    locked_on: date | None
    lock_reason: str
    blocked: Sequence[str]
    transactions: str
    details: str
    documents: Mapping[str, Sequence[CleanFile]] = field(default_factory=dict)


def missing_items(form: AppealForm) -> list[str]:
    """What the security team needs that the appeal lacks (empty: complete)."""
    missing = []
    if not form.registered_contact.strip():
        missing.append(_("your registered email address or phone number"))
    if not form.kyc_name.strip():
        missing.append(_("your full name as verified"))
    if not form.id_number.strip():
        missing.append(_("your ID document number"))
    if not form.blocked:
        missing.append(_("what is blocked"))
    labels = dict(DocumentKind.choices)
    missing += [str(labels[kind]) for kind in REQUIRED_DOCUMENTS if not form.documents.get(kind)]
    return missing


def open_appeal_of(customer: Customer) -> UnlockAppeal | None:
    withdraw_closed_appeals(customer)
    return (
        UnlockAppeal.objects.filter(customer=customer, state__in=OPEN_APPEAL_STATES)
        .select_related("conversation")
        .first()
    )


def withdraw_closed_appeals(customer: Customer) -> None:
    """An open appeal whose conversation was closed (by the customer, or merged away) is
    withdrawn: nobody can answer it there, and it must not block a new one."""
    UnlockAppeal.objects.filter(
        customer=customer, state__in=OPEN_APPEAL_STATES, conversation__status=Status.CLOSED
    ).update(state=AppealState.WITHDRAWN)


def submit_unlock_appeal(customer: Customer, form: AppealForm, *, language: str) -> UnlockAppeal:
    """Take a complete appeal for the customer's own account: the appeal, its documents,
    and a high-priority conversation of the security team with the checklist."""
    if form.uid.strip() != customer.uid:
        raise AppealRefused(
            _("You can only appeal for your own account (UID %(uid)s).") % {"uid": customer.uid}
        )
    missing = missing_items(form)
    if missing:
        raise AppealRefused(_("Still missing: %(items)s.") % {"items": "; ".join(missing)})
    if any(len(files) > MAX_FILES_PER_KIND for files in form.documents.values()):
        raise AppealRefused(
            _("Attach at most %(count)d files of each kind.") % {"count": MAX_FILES_PER_KIND}
        )
    if open_appeal_of(customer) is not None:
        raise AppealRefused(_already_open())
    # The ID number is asked for: it is kept, for security agents only.
    form, secrets_found = screening.screen_fields(
        form, "kyc_name", "lock_reason", "transactions", "details"
    )
    team = Team.objects.get(slug=SECURITY_TEAM)
    with translation.override(language):
        subject = _("Unlock appeal for UID %(uid)s") % {"uid": customer.uid}
        summary = _summary(form)
    stored: list[AppealDocument] = []
    try:
        with transaction.atomic():
            conversation, _first = conversations.open_from_channel(
                Channel.WEB,
                team,
                subject,
                conversations.InboundMessage(body=summary, customer=customer),
                language=language,
                tags=[APPEAL_TAG],
                priority=Priority.HIGH,
            )
            appeal = UnlockAppeal.objects.create(
                customer=customer,
                conversation=conversation,
                uid=customer.uid,
                registered_contact=form.registered_contact.strip()[:254],
                kyc_name=form.kyc_name.strip()[:200],
                id_number=form.id_number.strip()[:64],
                locked_on=form.locked_on,
                lock_reason=form.lock_reason.strip()[:4000],
                blocked=[b for b in form.blocked if b in BlockedAction.values],
                transactions=form.transactions.strip()[:4000],
                details=form.details.strip()[:4000],
            )
            for kind, files in form.documents.items():
                for clean in files:
                    stored.append(_store_document(appeal, kind, clean))
            system_note(conversation, checklist(appeal))
            screening.secrets_removed(conversation, secrets_found)
            record_audit_event(
                customer.user, "trust.appeal_submitted", appeal, detail={"uid": customer.uid}
            )
    except Exception as failure:
        for document in stored:
            document.file.delete(save=False)  # their rows were rolled back
        if isinstance(failure, IntegrityError) and open_appeal_of(customer) is not None:
            # The same appeal sent twice at once: the first one is under review.
            raise AppealRefused(_already_open()) from failure
        raise
    return appeal


def _already_open() -> str:
    return _("You already have an appeal under review. Add to it in its conversation.")


def _summary(form: AppealForm) -> str:
    """The appeal in the conversation (the ID number stays in the appeal itself)."""
    labels = dict(BlockedAction.choices)
    blocked = ", ".join(str(labels[b]) for b in form.blocked if b in labels)
    facts = [
        (_("UID"), form.uid),
        (_("Registered email or phone number"), form.registered_contact),
        (_("Full name, as on your verified ID"), form.kyc_name),
        (_("When was it locked?"), form.locked_on.isoformat() if form.locked_on else "—"),
        (_("What is blocked?"), blocked),
        (_("Why was it locked, as far as you know?"), form.lock_reason.strip()),
        (_("Related transactions (TxID, withdrawal or order numbers)"), form.transactions.strip()),
        (_("Anything else we should know"), form.details.strip()),
    ]
    lines = [_("I am appealing to unlock my account.")]
    lines += [
        f"{label} {value}" if label.endswith(("?", "？")) else f"{label}: {value}"
        for label, value in facts
        if value
    ]
    return "\n".join(lines)


def checklist(appeal: UnlockAppeal) -> str:
    """What the security agent checks before deciding: a note on the conversation, in
    English like the team's other notes (the review page shows it translated)."""
    with translation.override("en"):
        items = checklist_items(appeal)
    return "\n".join(
        ["Unlock appeal: check before deciding (open it from the appeal page)."]
        + [f"[ ] {item}" for item in items]
    )


def checklist_items(appeal: UnlockAppeal) -> list[str]:
    """The checklist in the active language."""
    submitted = timezone.localdate(appeal.created_at).isoformat()
    return [
        _("The KYC name and ID number match the exchange's record for UID %(uid)s.")
        % {"uid": appeal.uid},
        _("The ID front and back are the same document, readable, not expired."),
        _(
            'The selfie shows the same person holding the ID and a note reading "for account '
            'unlock only" dated %(date)s (or a day or two before).'
        )
        % {"date": submitted},
        _("The registered email or phone matches the account."),
        _("Recent sign-ins and withdrawals fit the customer's story."),
        _("The error screenshots and transactions fit the lock reason."),
    ]


def _store_document(appeal: UnlockAppeal, kind: str, clean: CleanFile) -> AppealDocument:
    document = AppealDocument(
        appeal=appeal,
        kind=kind,
        original_name=clean.name[:200],
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=clean.sha256,
    )
    document.file.save(
        f"{secrets.token_hex(16)}.{clean.extension}", ContentFile(clean.data), save=False
    )
    document.save()
    return document


# --- the security team ----------------------------------------------------------------------------
def may_review_appeals(user: object) -> bool:
    return staff_role(user) == StaffRole.SECURITY_AGENT


def appeal_for_security(user: User, appeal_id: int) -> UnlockAppeal:
    """An appeal, for a security agent only; anyone else is refused as if it did not
    exist. The look is audited: the appeal holds an ID number."""
    if not may_review_appeals(user):
        raise UnlockAppeal.DoesNotExist
    appeal = UnlockAppeal.objects.select_related("customer__user", "conversation").get(pk=appeal_id)
    record_audit_event(user, "trust.appeal_viewed", appeal, detail={"uid": appeal.uid})
    return appeal


def document_for_security(user: User, document_id: int) -> AppealDocument:
    """A document of an appeal, for a security agent only; each opening is audited."""
    if not may_review_appeals(user):
        raise AppealDocument.DoesNotExist
    document = AppealDocument.objects.select_related("appeal").get(pk=document_id)
    record_audit_event(
        user,
        "trust.appeal_document_opened",
        document,
        detail={"uid": document.appeal.uid, "kind": document.kind},
    )
    return document


DECISIONS = ("approve", "reject", "more")


def decide(appeal: UnlockAppeal, agent: User, decision: str, reason: str = "") -> UnlockAppeal:
    """The security agent's decision, told to the customer in their language. Everything
    that could stop the answer is checked before the exchange is asked to unlock, and the
    appeal is locked meanwhile: an account is never unlocked by an appeal that is still
    open, or decided twice. If the exchange refuses, nothing is decided."""
    if not may_review_appeals(agent):
        raise AppealRefused(_("Only the security team decides appeals."))
    if decision not in DECISIONS:
        raise AppealRefused(_("Choose approve, reject or ask for more."))
    reason = reason.strip()
    if decision in {"reject", "more"} and not reason:
        raise AppealRefused(
            _("Say why it is rejected.") if decision == "reject" else _("Say what is needed.")
        )
    conversation = appeal.conversation
    with translation.override(conversation.language):
        answer = _decision_text(decision, reason)
    if conversation.status == Status.CLOSED:
        withdraw_closed_appeals(appeal.customer)
        raise AppealRefused(
            _(
                "The customer's conversation for this appeal is closed, so the appeal is "
                "withdrawn. Nothing was changed at the exchange."
            )
        )
    # Outside the transaction: a blocked answer stays in the guard's log for admins.
    screening.check_outgoing(answer, source="reply", author=agent, conversation=conversation)
    conversations.require_answerable(conversation, agent)
    state = {
        "approve": AppealState.APPROVED,
        "reject": AppealState.REJECTED,
        "more": AppealState.NEEDS_MORE,
    }[decision]
    with transaction.atomic():
        locked = UnlockAppeal.objects.select_for_update().get(pk=appeal.pk)
        if not locked.is_open:
            raise AppealRefused(_("This appeal was decided already."))
        if decision == "approve":
            _unlock_at_exchange(locked, agent)
        UnlockAppeal.objects.filter(pk=appeal.pk).update(
            state=state,
            decision_reason=reason[:4000],
            decided_by=agent if decision != "more" else None,
            decided_at=timezone.now() if decision != "more" else None,
        )
        after = Status.RESOLVED if decision in {"approve", "reject"} else Status.WAITING_ON_CUSTOMER
        conversations.post_agent_reply(conversation, agent, answer, status_after=after)
        record_audit_event(
            agent, f"trust.appeal_{decision}", appeal, detail={"uid": appeal.uid, "reason": reason}
        )
    appeal.refresh_from_db()
    return appeal


def _unlock_at_exchange(appeal: UnlockAppeal, agent: User) -> None:
    try:
        get_gateway().unlock_account(
            appeal.uid,
            reason=f"Unlock appeal approved (conversation {appeal.conversation.reference})",
            requested_by=f"security agent {agent.email}",
        )
    except ExchangeError as failure:
        raise AppealRefused(
            _("The exchange did not unlock the account: %(error)s") % {"error": failure}
        ) from failure


def _decision_text(decision: str, reason: str) -> str:
    if decision == "approve":
        return _(
            "Your appeal is approved and your account is unlocked. Please sign in, change your "
            "password and turn on two-factor authentication."
        )
    if decision == "reject":
        return _(
            "We could not approve your appeal: %(reason)s You can submit a new appeal with "
            "the missing proof."
        ) % {"reason": reason}
    return _(
        "We need a little more before we can decide: %(reason)s Please reply here with it."
    ) % {"reason": reason}
