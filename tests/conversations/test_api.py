"""Requests and the console over the JSON API, with personal tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from pharos.accounts.services import issue_api_token
from pharos.conversations.models import Conversation, Status

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user)}"}


def test_a_customer_submits_lists_reads_writes_and_rates_over_the_api(
    customer, general_agent
) -> None:
    from pharos.conversations import services

    auth = bearer(customer.user)
    client = Client()
    created = client.post(
        "/api/v1/requests",
        {"topic": "deposits-withdrawals", "subject": "API deposit", "description": "Missing", "submission_key": "k1"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert created.status_code == 201
    reference = created.json()["reference"]
    again = client.post(
        "/api/v1/requests",
        {"topic": "deposits-withdrawals", "subject": "API deposit", "description": "Missing", "submission_key": "k1"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert again.json()["reference"] == reference
    assert [c["reference"] for c in client.get("/api/v1/requests", **auth).json()] == [reference]
    written = client.post(
        f"/api/v1/requests/{reference}/messages",
        {"body": "More detail"},
        content_type="application/json",
        **auth,
    )
    assert written.status_code == 201 and written.json()["sequence"] == 2
    conversation = Conversation.objects.get(reference=reference)
    services.add_internal_note(conversation, general_agent.user, "Staff only")
    thread = client.get(f"/api/v1/requests/{reference}", **auth).json()
    assert [m["body"] for m in thread["messages"]] == ["Missing", "More detail"]
    services.change_status(conversation, Status.RESOLVED, general_agent.user)
    rated = client.post(
        f"/api/v1/requests/{reference}/rating",
        {"rating": 5},
        content_type="application/json",
        **auth,
    )
    assert rated.json()["rating"] == 5


def test_the_api_hides_other_customers_requests(ticket, other_customer) -> None:
    auth = bearer(other_customer.user)
    assert Client().get(f"/api/v1/requests/{ticket.reference}", **auth).status_code == 404
    response = Client().post(
        f"/api/v1/requests/{ticket.reference}/messages",
        {"body": "x"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 404


def test_bad_input_gets_a_clear_error(customer) -> None:
    auth = bearer(customer.user)
    unknown = Client().post(
        "/api/v1/requests",
        {"topic": "nope", "subject": "s", "description": "d"},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 400 and unknown.json()["detail"] == "Unknown topic."
    empty = Client().post(
        "/api/v1/requests",
        {"topic": "other", "subject": " ", "description": "d"},
        content_type="application/json",
        **auth,
    )
    assert empty.status_code == 400
    assert Client().get("/api/v1/requests").status_code == 401


def test_an_agent_works_a_conversation_over_the_api(
    ticket, general_agent, other_team_agent
) -> None:
    auth = bearer(general_agent.user)
    client = Client()
    listed = client.get("/api/v1/console/conversations", {"view": "unassigned"}, **auth).json()
    assert ticket.reference in [c["reference"] for c in listed["conversations"]]
    assert listed["counts"]["unassigned"] >= 1
    reply = client.post(
        f"/api/v1/console/conversations/{ticket.reference}/replies",
        {"body": "On it"},
        content_type="application/json",
        **auth,
    )
    assert reply.status_code == 201
    changed = client.patch(
        f"/api/v1/console/conversations/{ticket.reference}",
        {"priority": 3, "tags": ["api"], "team": "security"},
        content_type="application/json", **auth,
    ).json()  # fmt: skip
    assert (changed["priority"], changed["tags"], changed["team"]) == (3, ["api"], "security")
    assert (
        client.get(
            f"/api/v1/console/conversations/{ticket.reference}", **bearer(other_team_agent.user)
        ).status_code
        == 404
    )


def test_customers_cannot_use_the_console_api(ticket, customer) -> None:
    assert Client().get("/api/v1/console/conversations", **bearer(customer.user)).status_code == 404


def test_files_can_be_sent_over_the_api_and_bad_ones_are_reported(
    ticket, customer, general_agent, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png_bytes

    settings.MEDIA_ROOT = tmp_path
    response = Client().post(
        f"/api/v1/requests/{ticket.reference}/messages/with-files",
        {
            "body": "Screenshots attached",
            "files": [
                SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png"),
                SimpleUploadedFile(
                    "evil.svg", b"<svg><script>1</script></svg>", content_type="image/svg+xml"
                ),
            ],
        },
        **bearer(customer.user),
    )
    assert response.status_code == 201
    body = response.json()
    assert len(body["message"]["attachments"]) == 1
    assert body["rejected"] and "evil.svg" in body["rejected"][0]
    reply = Client().post(
        f"/api/v1/console/conversations/{ticket.reference}/replies/with-files",
        {
            "body": "Thanks",
            "files": [SimpleUploadedFile("answer.png", png_bytes(), content_type="image/png")],
        },
        **bearer(general_agent.user),
    )
    assert reply.status_code == 201
    assert len(reply.json()["message"]["attachments"]) == 1
