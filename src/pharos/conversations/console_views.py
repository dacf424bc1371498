"""The agent console: the inbox and a conversation with the customer panel. Thin views:
each action parses its form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pharos.accounts import services as accounts
from pharos.accounts import two_factor
from pharos.accounts.models import StaffMember, Team, User

from . import canned, inbox, services
from .models import Channel, Conversation, Priority, Status
from .panel import customer_panel

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Staff only; with two-factor sign-in required, only verified sessions."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if accounts.staff_role(user) is None:
            if not user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?{REDIRECT_FIELD_NAME}={request.path}")
            raise Http404
        if two_factor.is_required() and not two_factor.is_verified(user):
            return redirect(f"{reverse('admin:login')}?{REDIRECT_FIELD_NAME}={request.path}")
        return view(request, *args, **kwargs)

    return checked


@staff_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    chosen = inbox.InboxFilter.from_params(request.GET.dict())
    number = _page_number(request.GET.get("page"))
    page = inbox.inbox_page(user, chosen, number, chinese=get_language() == "zh-hans")
    counts = inbox.view_counts(user)
    return render(
        request,
        "conversations/console/inbox.html",
        {
            "page": page,
            "previous_page": _inbox_query(chosen, number - 1),
            "next_page": _inbox_query(chosen, number + 1),
            "chosen": chosen,
            "counts": counts,
            "views": [(view, counts.get(view, 0)) for view in inbox.VIEWS],
            "statuses": Status.choices,
            "channels": Channel.choices,
            "priorities": Priority.choices,
        },
    )


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1


def _inbox_query(chosen: inbox.InboxFilter, number: int) -> str:
    """The query string of another page of the same view and filters."""
    parameters = {
        "view": chosen.view,
        "status": chosen.status,
        "channel": chosen.channel,
        "priority": chosen.priority or "",
        "q": chosen.query,
        "page": number if number > 1 else "",
    }
    return "?" + urlencode({key: value for key, value in parameters.items() if value})


def _conversation(request: HttpRequest, reference: str) -> Conversation:
    try:
        return services.conversation_for_staff(request.user, reference)  # type: ignore[arg-type]
    except services.ConversationNotFound as missing:
        raise Http404(_("No such conversation.")) from missing


@staff_required
@require_GET
def conversation_view(request: HttpRequest, reference: str) -> HttpResponse:
    conversation = _conversation(request, reference)
    user: User = request.user  # type: ignore[assignment]
    accounts.record_audit_event(user, "viewed_conversation", conversation, request=request)
    return render(
        request,
        "conversations/console/conversation.html",
        {
            "conversation": conversation,
            "thread": services.messages_for_staff(conversation),
            "panel": customer_panel(conversation, user, request),
            "canned_replies": canned.replies_for(user),
            "teams": Team.objects.all(),
            "agents": StaffMember.objects.select_related("user").order_by("user__display_name"),
            "statuses": Status.choices,
            "priorities": Priority.choices,
            "live_chat": conversation.channel == Channel.CHAT and conversation.is_open,
            # Accept a chat given to you, or take a waiting one.
            "accept_for": {None, user.pk},
        },
    )


@staff_required
@require_GET
def conversation_state(request: HttpRequest, reference: str) -> JsonResponse:
    """What the page polls to notice new messages without reloading."""
    conversation = _conversation(request, reference)
    return JsonResponse(
        {"last_sequence": conversation.last_sequence, "status": conversation.status}
    )


@staff_required
@require_GET
def canned_reply(request: HttpRequest, reference: str, reply_id: int) -> JsonResponse:
    conversation = _conversation(request, reference)
    reply = get_object_or_404(canned.replies_for(request.user), pk=reply_id)  # type: ignore[arg-type]
    return JsonResponse({"text": canned.fill(reply, conversation)})


@staff_required
@require_POST
def act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One console action on a conversation (reply, note, assign, transfer, status,
    priority, tags, merge)."""
    conversation = _conversation(request, reference)
    user: User = request.user  # type: ignore[assignment]
    data = request.POST
    try:
        if action == "reply":
            services.post_agent_reply(
                conversation, user, data.get("body", ""),
                status_after=data.get("status_after") or Status.WAITING_ON_CUSTOMER,
            )  # fmt: skip
        elif action == "note":
            services.add_internal_note(conversation, user, data.get("body", ""))
        elif action == "assign":
            assignee = (
                StaffMember.objects.select_related("user").get(pk=data["staff"]).user
                if data.get("staff")
                else None
            )
            services.assign(conversation, assignee, user)
        elif action == "transfer":
            services.transfer_to_team(conversation, Team.objects.get(pk=data.get("team", "")), user)
        elif action == "status":
            services.change_status(conversation, data.get("status", ""), user)
        elif action == "priority":
            services.change_priority(conversation, int(data.get("priority", "0")), user)
        elif action == "tags":
            services.set_tags(conversation, data.get("tags", "").split(","), user)
        elif action == "merge":
            target = services.conversation_for_staff(user, data.get("into", "").strip())
            services.merge(conversation, target, user)
            return _done(
                request,
                target.reference,
                _("Merged into %(reference)s.") % {"reference": target.reference},
            )
        else:
            raise Http404
    except (StaffMember.DoesNotExist, Team.DoesNotExist, ValueError, KeyError):
        return _failed(request, reference, _("That choice is not valid."))
    except services.ConversationError as error:
        return _failed(request, reference, str(error))
    return _done(request, reference, _("Saved."))


def _done(request: HttpRequest, reference: str, message: str) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": True, "message": message, "reference": reference})
    messages.success(request, message)
    return redirect("console:conversation", reference=reference)


def _failed(request: HttpRequest, reference: str, message: str) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": False, "message": message}, status=400)
    messages.error(request, message)
    return redirect("console:conversation", reference=reference)
