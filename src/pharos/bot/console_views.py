"""The bot's page in the console, for support admins: the questions it missed, grouped,
each attachable to the right article or FAQ entry in one step, and the deflection report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pharos.accounts import services as accounts
from pharos.accounts.models import User
from pharos.conversations.console_views import staff_required

from . import services
from .models import BotExchange

PERIODS = (7, 30, 90)


def _admin(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("bot.change_botexchange"):
        raise Http404
    return user


def _period(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in PERIODS else 30


@staff_required
@require_GET
def learning(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    days = _period(request.GET.get("days"))
    groups = services.grouped_misses(days)
    # Customers' own words are on this page: who read them is kept.
    accounts.record_audit_event(
        admin, "bot.misses_viewed", BotExchange, detail={"days": days}, request=request
    )
    choices = services.answer_choices(request.LANGUAGE_CODE)
    titles = dict(choices)
    return render(
        request,
        "bot/console/learning.html",
        {
            "days": days,
            "periods": PERIODS,
            "groups": [(group, titles.get(group.guess, "")) for group in groups],
            "choices": choices,
            "report": services.deflection_report(days),
        },
    )


@staff_required
@require_POST
def attach(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    ids = _ids(request.POST.get("exchanges", ""))
    try:
        added = services.attach_questions(ids, request.POST.get("answer", ""), admin)
    except services.BotError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(count)d question(s) added: the bot uses them from now on.") % {"count": added},
        )
    return _back(request)


@staff_required
@require_POST
def dismiss(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    count = services.dismiss_misses(_ids(request.POST.get("exchanges", "")), admin)
    messages.success(request, _("%(count)d question(s) dismissed.") % {"count": count})
    return _back(request)


def _ids(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part.strip().isdigit()][:500]


def _back(request: HttpRequest) -> HttpResponse:
    days = _period(request.POST.get("days"))
    return redirect(f"{reverse('bot-console:learning')}?days={days}")
