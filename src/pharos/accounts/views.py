from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pharos.core import ratelimit
from pharos.core.ratelimit import allow_request

from . import services, two_factor
from .forms import SignInForm


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        # `next` pointing back at this page would bounce a signed-in visitor forever.
        url = super().get_redirect_url()
        return "" if url.split("?")[0] == self.request.path else url

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = str(request.POST.get("username", "")).strip().lower()[:254]
        if not allow_request("login", request) or (
            account and not ratelimit.allow("login_account", account)
        ):
            form = cast(SignInForm, self.get_form())
            form.refuse(_("Too many sign-in attempts. Please wait a few minutes."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class SignOutView(LogoutView):
    pass


@never_cache
@require_http_methods(["GET", "POST"])
def exchange_sign_in(request: HttpRequest) -> HttpResponse:
    """Where the exchange sends a signed-in trader: `?token=<JWT>&next=<path>`.

    Someone else already signed in here (a shared computer, or a link an attacker relayed
    to sign the visitor into the attacker's account) is asked before the session changes:
    the GET shows whom the link signs in, and only the POST of that page switches."""
    data = request.POST if request.method == "POST" else request.GET
    token, next_url = data.get("token", ""), data.get("next", "")
    if not allow_request("login", request):
        return _sign_in_failed(
            request, _("Too many sign-in attempts. Please wait a few minutes."), 429
        )
    if request.method == "GET" and request.user.is_authenticated:
        try:
            identity, _token_id, _expiry = services.read_exchange_token(token)
        except services.SignInRejected as rejected:
            return _sign_in_failed(request, str(rejected), 403)
        current = getattr(request.user, "customer", None)
        if current is None or current.uid != identity.uid:
            return render(
                request,
                "accounts/confirm_sign_in.html",
                {"uid": identity.uid, "token": token, "next": next_url},
            )
    try:
        user = services.sign_in_from_exchange(token)
    except services.SignInRejected as rejected:
        return _sign_in_failed(request, str(rejected), 403)
    login(request, user, backend="pharos.accounts.backends.EmailOrUidBackend")
    messages.success(request, _("You are signed in."))
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("helpcenter:home")
    return redirect(next_url)


def _sign_in_failed(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "accounts/sign_in_failed.html", {"reason": reason}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Staff set up their authenticator app: scan the code, type the first code shown."""
    if services.staff_role(request.user) is None and not request.user.is_staff:
        return HttpResponseForbidden(_("Only staff sign in with an authenticator app."))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    error = ""
    if request.method == "POST":
        if two_factor.confirm_enrollment(request, request.user, request.POST.get("token", "")):  # type: ignore[arg-type]
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(next_url)
        error = _("That code is not right. Check the time on your phone and try the next code.")
    device = two_factor.enrollment_device(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "qr_code": mark_safe(two_factor.qr_code_svg(device)),  # noqa: S308 (made by qrcode from our own URL)
            "secret": two_factor.secret_for_display(device),
            "next": next_url,
            "error": error,
        },
    )
