"""The customer's side of conversations: the ticket form, "My requests", a request's
thread (reply, close, rate), and attachment downloads for customers and staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pharos.accounts import services as accounts
from pharos.accounts.models import Customer

from . import services
from .attachments import CleanFile, clean_uploads, private_file_response
from .forms import RatingForm, ReplyForm, TicketForm
from .models import Attachment, Channel, Conversation, Status


def _customer(request: HttpRequest) -> Customer:
    customer = getattr(request.user, "customer", None)
    if customer is None:
        raise Http404(_("Requests belong to customer accounts."))
    return customer


def _checked_files(request: HttpRequest, uploads: list[UploadedFile]) -> list[CleanFile]:
    """The uploads that pass the checks; each refused one is reported on the next page."""
    accepted, refused = clean_uploads(uploads)
    for reason in refused:
        messages.warning(request, _("Not attached: %(reason)s") % {"reason": reason})
    return accepted


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    form = TicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = _checked_files(request, form.cleaned_data["attachments"])
        try:
            conversation = services.open_ticket(
                customer,
                services.TicketRequest(
                    topic=form.cleaned_data["topic"],
                    subject=form.cleaned_data["subject"],
                    description=form.cleaned_data["description"],
                    related_ids=form.cleaned_data["related_ids"],
                    files=files[: settings.ATTACHMENT_MAX_PER_MESSAGE],
                    language=request.LANGUAGE_CODE,
                    submission_key=form.cleaned_data["submission_key"],
                ),
            )
        except services.ConversationError as error:
            form.add_error(None, str(error))
        else:
            if len(files) > settings.ATTACHMENT_MAX_PER_MESSAGE:
                messages.warning(request, _("Only the first 5 files were attached."))
            messages.success(
                request,
                _("We received your request %(reference)s. The reference is also in your email.")
                % {"reference": conversation.reference},
            )
            return redirect("conversations:detail", reference=conversation.reference)
    return render(request, "conversations/new_request.html", {"form": form})


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    conversations = services.conversations_of_customer(customer).select_related("topic")
    page = Paginator(conversations.order_by("-updated_at"), 20).get_page(request.GET.get("page"))
    return render(request, "conversations/my_requests.html", {"page": page})


def _own_conversation(request: HttpRequest, reference: str) -> tuple[Customer, Conversation]:
    customer = _customer(request)
    try:
        return customer, services.conversation_for_customer(customer, reference)
    except services.ConversationNotFound as missing:
        raise Http404(_("No such request.")) from missing


@login_required
@require_GET
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    _, conversation = _own_conversation(request, reference)
    can_rate = (
        conversation.status in {Status.RESOLVED, Status.CLOSED} and conversation.rating is None
    )
    return render(
        request,
        "conversations/request_detail.html",
        {
            "conversation": conversation,
            "thread": services.messages_for_customer(conversation),
            "reply_form": ReplyForm() if conversation.status != Status.CLOSED else None,
            "rating_form": RatingForm() if can_rate else None,
        },
    )


@login_required
@require_POST
def reply(request: HttpRequest, reference: str) -> HttpResponse:
    customer, conversation = _own_conversation(request, reference)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        files = _checked_files(request, form.cleaned_data["attachments"])
        try:
            services.post_customer_message(
                conversation,
                customer,
                form.cleaned_data["body"],
                files=files[: settings.ATTACHMENT_MAX_PER_MESSAGE],
                client_message_id=form.cleaned_data["client_message_id"] or None,
            )
        except services.ConversationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Please write a message."))
    return redirect("conversations:detail", reference=reference)


@login_required
@require_POST
def close(request: HttpRequest, reference: str) -> HttpResponse:
    customer, conversation = _own_conversation(request, reference)
    try:
        services.close_by_customer(conversation, customer)
    except services.ConversationError as error:
        messages.error(request, str(error))
    return redirect("conversations:detail", reference=reference)


@login_required
@require_POST
def rate(request: HttpRequest, reference: str) -> HttpResponse:
    customer, conversation = _own_conversation(request, reference)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                conversation, customer, form.cleaned_data["rating"], form.cleaned_data["comment"]
            )
            messages.success(request, _("Thank you for rating our service."))
        except services.ConversationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("conversations:detail", reference=reference)


@login_required
@require_POST
def transcript(request: HttpRequest, reference: str) -> HttpResponse:
    """Email the customer their chat's transcript."""
    customer, conversation = _own_conversation(request, reference)
    if conversation.channel == Channel.CHAT:
        services.email_transcript(conversation, customer)
        messages.success(request, _("The transcript is on its way to your email."))
    return redirect("conversations:detail", reference=reference)


@login_required
@require_GET
def attachment(request: HttpRequest, key: str) -> HttpResponseBase:
    """A file, for the customer whose conversation it is in or staff who may see that
    conversation; anyone else gets the same 404 as for a file that does not exist."""
    found = Attachment.objects.select_related("conversation").filter(storage_key=key).first()
    if found is None:
        raise Http404
    user = request.user
    if accounts.staff_role(user) is not None:
        visible = services.conversations_visible_to_staff(user)  # type: ignore[arg-type]
        if not visible.filter(pk=found.conversation_id).exists():
            raise Http404
        accounts.record_audit_event(
            user,
            "viewed_attachment",
            found,
            detail={"reference": found.conversation.reference},
            request=request,
        )
    elif getattr(getattr(user, "customer", None), "pk", None) != found.conversation.customer_id:
        raise Http404
    return private_file_response(found.file, found.content_type, found.original_name)
