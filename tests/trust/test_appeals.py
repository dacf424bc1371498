"""The unlock appeal: complete or refused with what is missing, only for one's own UID,
one at a time; a high-priority conversation of the security team with a checklist; the
ID number and documents for security agents only, every look audited; the decision
(approve → the exchange unlocks, reject with a reason, ask for more) reaches the
customer in their language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client

from pharos.accounts import services as accounts
from pharos.accounts.models import AuditEvent, Customer, StaffMember, Team
from pharos.conversations import services as conversations
from pharos.conversations.models import AuthorKind, Channel, Priority, Status
from pharos.exchange.gateway import LockState, get_gateway
from pharos.trust import appeals
from pharos.trust.models import AppealDocument, AppealState, GuardBlock, UnlockAppeal

from ..conftest import PASSWORD, signed_in
from ..conversations.conftest import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(db: None) -> Customer:
    """Zhang Wei: locked at the demo exchange after five wrong passwords."""
    return accounts.create_customer(
        uid="10000003", email="zhang.test@example.com", display_name="Zhang", password=PASSWORD,
        language="zh-hans",
    )  # fmt: skip


@pytest.fixture
def security(security_agent: StaffMember) -> StaffMember:
    security_agent.teams.add(Team.objects.get(slug="security"))
    return security_agent


def image(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes((60, 40)), content_type="image/png")


def complete(uid: str = "10000003", **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "uid": uid,
        "registered_contact": "zhang.test@example.com",
        "kyc_name": "Zhang Wei",
        "id_number": "G12345678",
        "locked_on": "2026-11-20",
        "lock_reason": "I typed a wrong password five times",
        "blocked": ["sign_in", "withdraw"],
        "transactions": "",
        "details": "",
        "id_front": image("front.png"),
        "id_back": image("back.png"),
        "selfie": image("selfie.png"),
        "error_screenshot": image("error.png"),
    }
    data.update(changes)
    return data


def submit(client: Client, data: dict[str, object], language: str = "en") -> str:
    return client.post(f"/{language}/security/appeal/", data).content.decode()


def test_a_complete_appeal_reaches_the_security_team_with_a_checklist(locked: Customer) -> None:
    page = submit(signed_in(locked.user), complete(), "zh-hans")
    assert 'data-testid="appeal-sent"' in page
    appeal = UnlockAppeal.objects.get()
    conversation = appeal.conversation
    assert conversation.team.slug == "security" and conversation.priority == Priority.HIGH
    assert "unlock-appeal" in conversation.tags
    first = conversation.messages.get(sequence=1)
    assert "Zhang Wei" in first.body and "G12345678" not in first.body  # the ID number stays out
    note = conversation.messages.get(author_kind=AuthorKind.SYSTEM)
    assert "for account unlock only" in note.body and note.internal
    kinds = sorted(AppealDocument.objects.values_list("kind", flat=True))
    assert kinds == ["error_screenshot", "id_back", "id_front", "selfie"]


def test_an_incomplete_appeal_is_refused_with_what_is_missing(locked: Customer) -> None:
    data = complete()
    del data["selfie"], data["id_back"]
    page = submit(signed_in(locked.user), data)
    assert "This field is required." in page
    assert not UnlockAppeal.objects.exists()
    form = appeals.AppealForm(
        uid="10000003", registered_contact="", kyc_name="Zhang Wei", id_number="", locked_on=None,
        lock_reason="", blocked=[], transactions="", details="", documents={},
    )  # fmt: skip
    missing = appeals.missing_items(form)
    assert len(missing) == 6  # contact, ID number, what is blocked, front, back, selfie


def test_an_appeal_for_someone_elses_uid_is_refused(locked: Customer) -> None:
    page = submit(signed_in(locked.user), complete(uid="10000001"))
    assert "your own account" in page
    assert not UnlockAppeal.objects.exists()
    assert not AppealDocument.objects.exists()


def test_a_disguised_file_is_refused(locked: Customer) -> None:
    fake = SimpleUploadedFile("selfie.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    page = submit(signed_in(locked.user), complete(selfie=fake))
    assert 'data-testid="appeal-form"' in page and "has-error" in page
    assert not UnlockAppeal.objects.exists()


def test_one_appeal_at_a_time(locked: Customer) -> None:
    client = signed_in(locked.user)
    submit(client, complete())
    submit(client, complete())
    assert UnlockAppeal.objects.count() == 1
    assert 'data-state="submitted"' in client.get("/en/security/appeal/").content.decode()


def test_only_security_agents_see_the_appeal_and_its_documents(
    locked: Customer, security: StaffMember, agent: StaffMember, other_customer: Customer
) -> None:
    submit(signed_in(locked.user), complete())
    appeal = UnlockAppeal.objects.get()
    document = appeal.documents.get(kind="id_front")
    for outsider in (signed_in(agent.user), signed_in(other_customer.user), signed_in(locked.user)):
        assert outsider.get(f"/en/console/appeals/{appeal.pk}/").status_code in {302, 404}
        assert outsider.get(f"/en/console/appeals/documents/{document.pk}/").status_code in {
            302,
            404,
        }
    reviewer = signed_in(security.user)
    page = reviewer.get(f"/en/console/appeals/{appeal.pk}/").content.decode()
    assert "G12345678" in page
    opened = reviewer.get(f"/en/console/appeals/documents/{document.pk}/")
    assert opened.status_code == 200
    assert opened["Content-Security-Policy"] == "default-src 'none'; sandbox"
    audited = set(AuditEvent.objects.filter(actor=security.user).values_list("action", flat=True))
    assert {"trust.appeal_viewed", "trust.appeal_document_opened"} <= audited


def test_approval_unlocks_the_account_and_tells_the_customer_in_chinese(
    locked: Customer, security: StaffMember
) -> None:
    submit(signed_in(locked.user), complete(), "zh-hans")
    appeal = UnlockAppeal.objects.get()
    assert get_gateway().get_account("10000003").lock_state == LockState.LOCKED
    reviewer = signed_in(security.user)
    reviewer.post(f"/en/console/appeals/{appeal.pk}/", {"decision": "approve"})
    appeal.refresh_from_db()
    assert appeal.state == AppealState.APPROVED and appeal.decided_by == security.user
    assert get_gateway().get_account("10000003").lock_state == LockState.ACTIVE
    answer = appeal.conversation.messages.filter(author_kind=AuthorKind.AGENT).get()
    assert "解锁" in answer.body
    appeal.conversation.refresh_from_db()
    assert appeal.conversation.status == Status.RESOLVED


def test_reject_needs_a_reason_and_ask_for_more_keeps_it_open(
    locked: Customer, security: StaffMember
) -> None:
    submit(signed_in(locked.user), complete())
    appeal = UnlockAppeal.objects.get()
    reviewer = signed_in(security.user)
    page = reviewer.post(
        f"/en/console/appeals/{appeal.pk}/", {"decision": "reject"}, follow=True
    ).content.decode()
    assert "Say why it is rejected." in page
    reviewer.post(
        f"/en/console/appeals/{appeal.pk}/",
        {"decision": "more", "reason": "The selfie note has no date."},
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.NEEDS_MORE
    answer = appeal.conversation.messages.filter(author_kind=AuthorKind.AGENT).get()
    assert "The selfie note has no date." in answer.body
    assert get_gateway().get_account("10000003").lock_state == LockState.LOCKED


def test_a_password_written_into_the_appeal_is_never_stored(
    locked: Customer, security: StaffMember
) -> None:
    submit(signed_in(locked.user), complete(details="my password is Hunter2-Secret! if needed"))
    appeal = UnlockAppeal.objects.get()
    assert "Hunter2-Secret!" not in appeal.details and "[redacted:password]" in appeal.details
    page = signed_in(security.user).get(f"/en/console/appeals/{appeal.pk}/").content.decode()
    assert "Hunter2-Secret!" not in page
    bodies = " ".join(appeal.conversation.messages.values_list("body", flat=True))
    assert "Hunter2-Secret!" not in bodies
    assert "secret-shared" in appeal.conversation.tags  # the security team is told


def test_more_than_five_files_of_a_kind_are_refused_not_cut(locked: Customer) -> None:
    page = submit(
        signed_in(locked.user),
        complete(other_proof=[image(f"proof-{n}.png") for n in range(6)]),
    )
    assert "Attach at most 5 files here." in page
    assert not UnlockAppeal.objects.exists()


def test_an_appeal_whose_conversation_was_closed_is_withdrawn_not_unlocked(
    locked: Customer, security: StaffMember
) -> None:
    customer = signed_in(locked.user)
    submit(customer, complete())
    appeal = UnlockAppeal.objects.get()
    customer.post(f"/en/requests/{appeal.conversation.reference}/close/")
    page = signed_in(security.user).post(
        f"/en/console/appeals/{appeal.pk}/", {"decision": "approve"}, follow=True
    )
    assert "Nothing was changed at the exchange" in page.content.decode()
    assert get_gateway().get_account("10000003").lock_state == LockState.LOCKED
    appeal.refresh_from_db()
    assert appeal.state == AppealState.WITHDRAWN
    submit(customer, complete())  # the customer may appeal again
    assert UnlockAppeal.objects.filter(state=AppealState.SUBMITTED).count() == 1


def test_a_decision_the_guard_stops_is_logged_and_explained(
    locked: Customer, security: StaffMember
) -> None:
    submit(signed_in(locked.user), complete())
    appeal = UnlockAppeal.objects.get()
    page = signed_in(security.user).post(
        f"/en/console/appeals/{appeal.pk}/",
        {"decision": "more", "reason": "Send us the 6 digits your Google Authenticator shows."},
        follow=True,
    )
    assert page.status_code == 200 and "never" in page.content.decode().lower()
    assert GuardBlock.objects.filter(conversation=appeal.conversation).exists()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.SUBMITTED


def test_a_decided_appeal_is_not_decided_again(locked: Customer, security: StaffMember) -> None:
    submit(signed_in(locked.user), complete())
    appeal = UnlockAppeal.objects.get()
    appeals.decide(appeal, security.user, "reject", "The ID is expired.")
    with pytest.raises(appeals.AppealRefused, match="decided already"):
        appeals.decide(UnlockAppeal.objects.get(), security.user, "approve")
    assert get_gateway().get_account("10000003").lock_state == LockState.LOCKED


def test_the_database_keeps_one_open_appeal_per_customer(locked: Customer) -> None:
    """A form sent twice at the same moment: the second appeal cannot be stored."""
    submit(signed_in(locked.user), complete())
    other, _first = conversations.open_from_channel(
        Channel.WEB, Team.objects.get(slug="security"), "Unlock appeal",
        conversations.InboundMessage(body="Please unlock my account.", customer=locked),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        UnlockAppeal.objects.create(
            customer=locked, conversation=other, uid=locked.uid,
            registered_contact="x", kyc_name="x", id_number="x",
        )  # fmt: skip


def test_the_checklist_is_in_the_reviewers_language(
    locked: Customer, security: StaffMember
) -> None:
    submit(signed_in(locked.user), complete())
    appeal = UnlockAppeal.objects.get()
    page = signed_in(security.user).get(f"/zh-hans/console/appeals/{appeal.pk}/").content.decode()
    assert "仅用于账户解锁" in page
