"""The public "is this official?" page (check a value, see every official channel, report
an impostor in one step from its verdict), the emergency freeze (two clicks: the first
gives a one-time confirmation, the second freezes), the unlock appeal, and the security
team's review of appeals (agents of the security role only, every look audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pharos.accounts.models import Customer, User
from pharos.conversations.attachments import clean_uploads, private_file_response
from pharos.conversations.console_views import staff_required
from pharos.conversations.errors import ConversationError
from pharos.core.ratelimit import allow_request

from . import appeals, services
from .forms import UnlockAppealForm
from .models import (
    AccountFreeze,
    AppealDocument,
    ChannelKind,
    UnlockAppeal,
    VerificationCheck,
)


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    value = request.GET.get("value", "").strip()[: services.MAX_VALUE]
    check = None
    if value:
        if allow_request("trust_verify", request):
            check = services.verify(value, source=VerificationCheck.Source.PAGE, user=request.user)  # type: ignore[arg-type]
        else:
            messages.error(request, _("Too many checks; try again in a minute."))
    channels = services.official_channels()
    groups = [
        (label, [channel for channel in channels if channel.kind == kind])
        for kind, label in ChannelKind.choices
    ]
    return render(
        request,
        "trust/verify.html",
        {
            "value": value,
            "check": check,
            "why": [services.reason_label(reason) for reason in check.reasons] if check else [],
            "groups": [group for group in groups if group[1]],
        },
    )


@require_POST
def report(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("value", "")
    if not allow_request("trust_report", request):
        messages.error(request, _("Too many reports from your address; try again later."))
    else:
        try:
            services.report_impostor(
                value,
                where_seen=request.POST.get("where_seen", ""),
                details=request.POST.get("details", ""),
                reporter=request.user,  # type: ignore[arg-type]
            )
        except services.NothingToReport as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Thank you. Our security team will look at it and ask for it to be taken down."),
            )
    return redirect(f"{reverse('trust:verify')}?{urlencode({'value': value})}")


def _customer(request: HttpRequest) -> Customer:
    customer = getattr(request.user, "customer", None)
    if customer is None:
        raise Http404(_("Only a customer account can be frozen here."))
    return customer


@login_required
@require_http_methods(["GET", "POST"])
def freeze(request: HttpRequest) -> HttpResponse:
    """GET: what a freeze does, and the first button. POST: the second click, with the
    confirmation the first one gave."""
    customer = _customer(request)
    if request.method == "POST":
        try:
            services.freeze_account(
                customer,
                session=request.session,
                confirmation=request.POST.get("confirmation", ""),
                source=request.POST.get("source", "page"),
            )
        except services.FreezeNotConfirmed as refusal:
            messages.error(request, str(refusal))
            return redirect("trust:freeze")
        return redirect("trust:frozen")
    return render(request, "trust/freeze.html", {"step": "explain"})


@login_required
@require_POST
def confirm_freeze(request: HttpRequest) -> HttpResponse:
    """The first click: the confirmation the second click needs (this session, 5 minutes)."""
    _customer(request)
    token = services.freeze_confirmation(request.session)
    return render(
        request,
        "trust/freeze.html",
        {"step": "confirm", "confirmation": token, "source": request.POST.get("source", "page")},
    )


@login_required
@require_GET
def frozen(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    latest = AccountFreeze.objects.filter(customer=customer).select_related("conversation").first()
    if latest is None:
        return redirect("trust:freeze")
    next_steps = services.freeze_next_steps(latest.confirmed_by_exchange).split("\n")
    return render(request, "trust/frozen.html", {"freeze": latest, "next_steps": next_steps})


# --- the unlock appeal ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest) -> HttpResponse:
    """The guided appeal: everything the security team needs, checked for completeness
    before it is taken."""
    customer = _customer(request)
    ongoing = appeals.open_appeal_of(customer)
    if ongoing is not None:  # before any upload is read
        return render(request, "trust/appeal_sent.html", {"appeal": ongoing, "ongoing": True})
    form = UnlockAppealForm(
        request.POST or None, request.FILES or None, initial={"uid": customer.uid}
    )
    if request.method == "POST" and form.is_valid():
        documents = {}
        for name in UnlockAppealForm.DOCUMENT_FIELDS:
            accepted, refused = clean_uploads(form.cleaned_data[name])
            for reason in refused:
                form.add_error(name, reason)
            documents[name] = accepted
        if form.is_valid():
            data = form.cleaned_data
            try:
                submitted = appeals.submit_unlock_appeal(
                    customer,
                    appeals.AppealForm(
                        uid=data["uid"],
                        registered_contact=data["registered_contact"],
                        kyc_name=data["kyc_name"],
                        id_number=data["id_number"],
                        locked_on=data["locked_on"],
                        lock_reason=data["lock_reason"],
                        blocked=data["blocked"],
                        transactions=data["transactions"],
                        details=data["details"],
                        documents=documents,
                    ),
                    language=request.LANGUAGE_CODE,
                )
            except appeals.AppealRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return render(request, "trust/appeal_sent.html", {"appeal": submitted})
    return render(request, "trust/appeal.html", {"form": form})


def _security_agent(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not appeals.may_review_appeals(user):
        raise Http404
    return user


@staff_required
@require_http_methods(["GET", "POST"])
def review_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """A security agent reviews an appeal (audited) and decides."""
    agent = _security_agent(request)
    try:
        reviewed = appeals.appeal_for_security(agent, appeal_id)
    except UnlockAppeal.DoesNotExist as missing:
        raise Http404 from missing
    if request.method == "POST":
        try:
            appeals.decide(
                reviewed, agent, request.POST.get("decision", ""), request.POST.get("reason", "")
            )
        except ConversationError as refusal:  # refused, closed, or an answer the guard stopped
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Decided; the customer has been told."))
        return redirect("trust:review-appeal", appeal_id=reviewed.pk)
    return render(
        request,
        "trust/review_appeal.html",
        {
            "appeal": reviewed,
            "documents": reviewed.documents.all(),
            "checklist": appeals.checklist_items(reviewed),
        },
    )


@staff_required
@require_GET
def appeal_document(request: HttpRequest, document_id: int) -> HttpResponseBase:
    agent = _security_agent(request)
    try:
        document = appeals.document_for_security(agent, document_id)
    except AppealDocument.DoesNotExist as missing:
        raise Http404 from missing
    return private_file_response(document.file, document.content_type, document.original_name)
