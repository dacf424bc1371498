"""The console's live-chat side: the agent's availability, their chats and their teams'
queues (kept fresh by the console socket), and the chat actions beyond the usual
conversation ones: accept, take from the queue, end, send files."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pharos.accounts.models import Team, User
from pharos.conversations import services as conversations
from pharos.conversations.console_views import staff_required
from pharos.conversations.models import Channel, Conversation

from . import routing, services
from .models import Availability
from .views import post_files


@staff_required
@require_GET
def live_chats(request: HttpRequest) -> HttpResponse:
    agent: User = request.user  # type: ignore[assignment]
    presence = routing.presence_of(agent)
    teams = list(Team.objects.filter(members__user=agent).order_by("slug"))
    queues = []
    for team in teams:
        places = routing.queue_places(team)
        waiting = list(routing.waiting_chats(team).select_related("customer__user", "topic"))
        queues.append((team, [(chat, places.get(chat.pk)) for chat in waiting]))
    mine = (
        Conversation.objects.filter(
            channel=Channel.CHAT, assignee=agent, status__in=routing.CHAT_LOAD_STATUSES
        )
        .select_related("customer__user", "topic")
        .order_by("-priority", "queued_at", "pk")
    )
    return render(
        request,
        "livechat/console/live_chats.html",
        {
            "presence": presence,
            "availabilities": Availability.choices,
            "my_chats": mine,
            "queues": queues,
        },
    )


@staff_required
@require_POST
def set_presence(request: HttpRequest) -> HttpResponse:
    availability = request.POST.get("availability", "")
    if availability not in Availability.values:
        return _answer(request, False, _("That choice is not valid."))
    routing.set_availability(request.user, availability)  # type: ignore[arg-type]
    return _answer(request, True, _("Saved."))


@staff_required
@require_POST
def accept(request: HttpRequest, reference: str) -> HttpResponse:
    """Accept a chat given to you, or take one from your team's queue."""
    return _chat_action(request, reference, services.accept, _("You have the chat."))


@staff_required
@require_POST
def end(request: HttpRequest, reference: str) -> HttpResponse:
    return _chat_action(request, reference, services.end_by_agent, _("The chat has ended."))


def _chat_action(
    request: HttpRequest, reference: str, action: Callable[[Conversation, User], object], done: str
) -> HttpResponse:
    conversation = _chat(request, reference)
    try:
        action(conversation, request.user)  # type: ignore[arg-type]
    except conversations.ConversationError as error:
        return _answer(request, False, str(error), reference)
    return _answer(request, True, done, reference)


@staff_required
@require_POST
def send_files(request: HttpRequest, reference: str) -> JsonResponse:
    conversation = _chat(request, reference)
    agent: User = request.user  # type: ignore[assignment]
    return post_files(request, conversation, lambda body, files: services.agent_sends_files(
        conversation, agent, body, files
    ))  # fmt: skip


def _chat(request: HttpRequest, reference: str) -> Conversation:
    try:
        conversation = conversations.conversation_for_staff(request.user, reference)  # type: ignore[arg-type]
    except conversations.ConversationNotFound as missing:
        raise Http404(_("No such conversation.")) from missing
    if conversation.channel != Channel.CHAT:
        raise Http404(_("No such conversation."))
    return conversation


def _answer(request: HttpRequest, ok: bool, message: str, reference: str = "") -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 400)
    if reference:
        return redirect("console:conversation", reference=reference)
    return redirect("livechat-console:chats")
