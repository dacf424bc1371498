"""The chat's pages for customers and guests: the widget's loader (/widget.js), its panel
(/<lang>/chat/, shown in the widget's frame or on its own), starting a chat, the bot for
guests, and files sent in a chat. Messages and buttons then go over the chat's socket."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from pharos.accounts.models import Customer
from pharos.bot import services as bot_records
from pharos.conversations import lookups
from pharos.conversations import services as conversations
from pharos.conversations.attachments import clean_uploads
from pharos.conversations.models import Conversation
from pharos.core.middleware import CONTENT_SECURITY_POLICY
from pharos.core.ratelimit import allow_request
from pharos.trust import screening

from . import services

WIDGET_SCRIPT = Path(__file__).parent / "static" / "livechat" / "widget.js"
MAX_QUESTION_CHARACTERS = 2000


@cache
def _widget_script() -> bytes:
    return WIDGET_SCRIPT.read_bytes()


@require_GET
def widget_script(request: HttpRequest) -> HttpResponse:
    """The one script a page includes to get the chat button and panel."""
    response = HttpResponse(_widget_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"  # any page may load the loader itself
    return response


@xframe_options_exempt
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    """The chat itself: a topic and a question, then the conversation. The widget shows
    it in a frame; our own pages and the exchange's listed origins may frame it."""
    customer: Customer | None = getattr(request.user, "customer", None)
    ongoing = conversations.open_chat_of(customer) if customer else None
    back = request.GET.get("return", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("helpcenter:home")
    chinese = get_language() == "zh-hans"
    response = render(
        request,
        "livechat/panel.html",
        {
            "customer": customer,
            "staff": request.user.is_authenticated and customer is None,
            "ongoing": ongoing,
            "topics": [
                (topic.slug, topic.name_zh_hans if chinese else topic.name_en)
                for topic in lookups.topics()
            ],
            "sign_in_url": f"{reverse('accounts:login')}?next={back}",
            "requests_url": reverse("conversations:mine"),
            "text": _panel_text(),
        },
    )
    ancestors = " ".join(["'self'", *settings.CHAT_WIDGET_ORIGINS])
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )
    return response


@require_POST
def start(request: HttpRequest) -> JsonResponse:
    """A signed-in customer's first question: the chat and the bot's answer (over the
    socket the page opens next)."""
    customer: Customer | None = getattr(request.user, "customer", None)
    if customer is None:
        return _refused(_("Please sign in to chat with us."), 403)
    data = _json_body(request)
    topic = lookups.topic_by_slug(str(data.get("topic", "")))
    if topic is None:
        return _refused(_("Please choose a topic."))
    client_message_id = data.get("client_message_id")
    if not (isinstance(client_message_id, str) and 0 < len(client_message_id) <= 64):
        client_message_id = None
    try:
        conversation = services.start_chat(
            customer, topic, str(data.get("body", "")),
            language=get_language() or settings.LANGUAGE_CODE,
            client_message_id=client_message_id,
        )  # fmt: skip
    except conversations.ConversationError as refused:
        return _refused(str(refused))
    return JsonResponse({"reference": conversation.reference}, status=201)


@require_POST
def ask(request: HttpRequest) -> JsonResponse:
    """A guest's question: the bot answers from the help center; anything that needs a
    person asks them to sign in first. The exchange is logged for the learning loop, and
    the page gets a token to say whether the answer helped."""
    if not allow_request("chat_ask", request):
        return _refused(_("Too many questions at once. Please wait a minute."), 429)
    data = _json_body(request)
    question = " ".join(str(data.get("body", "")).split())[:MAX_QUESTION_CHARACTERS]
    if not question:
        return _refused(_("Please write a message."))
    topic = lookups.topic_by_slug(str(data.get("topic", "")))
    language = get_language() or settings.LANGUAGE_CODE
    shown_question, reply = services.answer_guest(question, language, topic)
    return JsonResponse(
        {
            "question": shown_question,
            "kind": reply.kind,
            "text": reply.text,
            "links": [link.__dict__ for link in reply.links],
            "buttons": services.GUEST_BUTTONS.get(reply.kind, []),
            "feedback": bot_records.guest_feedback_token(reply.exchange_id)
            if reply.exchange_id
            else "",
        }
    )


@require_POST
def guest_feedback(request: HttpRequest) -> JsonResponse:
    """A guest pressed Solved or Not solved under the bot's answer."""
    if not allow_request("chat_ask", request):
        return _refused(_("Too many questions at once. Please wait a minute."), 429)
    data = _json_body(request)
    try:
        bot_records.record_guest_feedback(str(data.get("token", "")), str(data.get("feedback", "")))
    except bot_records.BotError as refused:
        return _refused(str(refused))
    return JsonResponse({"ok": True})


@login_required
@require_POST
def send_files(request: HttpRequest, reference: str) -> JsonResponse:
    """Screenshots and files in a chat, with the same checks as a ticket's."""
    customer: Customer | None = getattr(request.user, "customer", None)
    if customer is None:
        raise Http404
    try:
        conversation = conversations.conversation_for_customer(customer, reference)
    except conversations.ConversationNotFound as missing:
        raise Http404 from missing
    return post_files(request, conversation, lambda body, files: services.customer_sends_files(
        conversation, customer, body, files
    ))  # fmt: skip


def post_files(request: HttpRequest, conversation: Conversation, store: Any) -> JsonResponse:
    """The chat's upload, for the customer's and the agent's side alike."""
    uploads = request.FILES.getlist("files")
    if not uploads:
        return _refused(_("Choose a file to send."))
    if len(uploads) > settings.ATTACHMENT_MAX_PER_MESSAGE:
        return _refused(
            _("Attach at most %(count)d files to one message.")
            % {"count": settings.ATTACHMENT_MAX_PER_MESSAGE}
        )
    accepted, refused = clean_uploads(uploads)
    if refused:
        return _refused(" ".join(refused))
    body = request.POST.get("body", "").strip() or ", ".join(f.name for f in accepted)
    try:
        message = store(body, accepted)
    except conversations.ConversationError as error:
        return _refused(str(error))
    return JsonResponse({"sequence": message.sequence}, status=201)


def _panel_text() -> dict[str, Any]:
    """What the chat's script says, in the page's language."""
    return {
        "you": _("You"),
        "assistant": _("Assistant"),
        "agent": _("Support agent"),
        "solved": _("Solved"),
        "not_solved": _("Not solved"),
        "person": _("Talk to a person"),
        "sign_in": _("Sign in to talk to a person"),
        "glad": _("Glad that helped. Have a good day!"),
        "sign_in_needed": _(
            "A person can help once you are signed in, so that they can see your account."
        ),
        "with_bot": _(
            "Our assistant answers at once, day and night. A person takes over when needed."
        ),
        "queued": _("You are number %(position)s in the queue."),
        "wait": _("Estimated wait: about %(minutes)s min."),
        "wait_now": _("An agent will be with you in a moment."),
        "nobody_online": _(
            "No agent is online right now. Leave your message and we will answer in your "
            "requests and by email."
        ),
        "long_wait": _("The wait is long. You can leave your message instead."),
        "assigned": _("Chatting with %(name)s"),
        "joining": _("%(name)s will be with you in a moment."),
        "ended": _("This chat has ended."),
        "left": _("Your message is now request %(reference)s. We will answer there and by email."),
        "open_request": _("Open the request"),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "sending": _("sending…"),
        "not_sent": _("Not sent yet: it goes out when the connection is back."),
        "confirm_end": _("End the chat? Press again"),
        "transcript_sent": _("The transcript is on its way to your email."),
        "uploading": _("Sending the file…"),
        "failed": _("That did not work. Please try again."),
        "rated": _("Thank you for your rating."),
        "read": _("Read"),
        "removed": {kind: screening.removed_label(kind) for kind in screening.SECRET_NAMES},
    }


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
