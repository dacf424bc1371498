from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import services


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """Our mailboxes and what each is for, with how to tell our emails from fakes."""
    return render(request, "mail/contact.html", {"mailboxes": services.active_mailboxes()})
