from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.http import require_safe


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _visitor_language(request: HttpRequest) -> str:
    # Outside the language-prefixed pages, use the visitor's cookie or browser language.
    return translation.get_language_from_request(request, check_path=True)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    with translation.override(_visitor_language(request)):
        return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: context processors query the database, which may be
    # what just failed.
    with translation.override(_visitor_language(request)):
        return HttpResponseServerError(loader.render_to_string("core/500.html"))
