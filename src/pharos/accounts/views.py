from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pharos.core.ratelimit import allow_request

from . import services
from .forms import SignInForm


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not allow_request("login", request):
            form = cast(SignInForm, self.get_form())
            form.refuse(_("Too many sign-in attempts. Please wait a few minutes."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class SignOutView(LogoutView):
    pass


@never_cache
@require_GET
def exchange_sign_in(request: HttpRequest) -> HttpResponse:
    """Where the exchange sends a signed-in trader: `?token=<JWT>&next=<path>`."""
    if not allow_request("login", request):
        return render(
            request,
            "accounts/sign_in_failed.html",
            {"reason": _("Too many sign-in attempts. Please wait a few minutes.")},
            status=429,
        )
    try:
        user = services.sign_in_from_exchange(request.GET.get("token", ""))
    except services.SignInRejected as rejected:
        return render(
            request, "accounts/sign_in_failed.html", {"reason": str(rejected)}, status=403
        )
    login(request, user, backend="pharos.accounts.backends.EmailOrUidBackend")
    messages.success(request, _("You are signed in."))
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("helpcenter:home")
    return redirect(next_url)
