"""JSON API of the help center (mounted under /api/v1/helpcenter/)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from pharos.core.ratelimit import allow_request

from . import services

router = Router(tags=["help center"])

Language = Literal["en", "zh-hans"]


class SearchParameters(Schema):
    q: str = Field("", max_length=10_000, description="What the visitor typed, any language.")
    lang: Language | None = Field(
        None, description="Language of the results; default from the request."
    )
    category: str | None = Field(None, max_length=60, description="Limit to one category slug.")
    limit: int = Field(10, ge=1, le=50)
    offset: int = Field(0, ge=0, le=1000)
    as_you_type: bool = Field(
        False,
        description="The query is still being typed: complete the last word, do not log misses.",
    )


class SearchResult(Schema):
    kind: Literal["article", "announcement"]
    slug: str
    title: str
    title_html: str = Field(description="Title with matches in <mark>; HTML-escaped.")
    snippet_html: str = Field(description="Excerpt with matches in <mark>; HTML-escaped.")
    url: str
    category: str | None
    score: float


class SearchResponse(Schema):
    query: str
    lang: Language
    total: int
    results: list[SearchResult]


class ErrorResponse(Schema):
    detail: str


@router.get(
    "/search",
    response={200: SearchResponse, 429: ErrorResponse},
    summary="Search articles and announcements",
    url_name="search",
)
def search(request: HttpRequest, parameters: Query[SearchParameters]) -> SearchResponse:
    """Chinese (simplified or traditional) and English, with synonyms, typo tolerance and
    highlighted snippets. Results are in `lang`, whichever language matched."""
    if not allow_request("search", request):
        raise HttpError(429, _("Too many searches; slow down and try again in a minute."))
    language: Language = parameters.lang or (
        "zh-hans" if (translation.get_language() or "").startswith("zh") else "en"
    )
    category = services.category_by_slug(parameters.category)
    page = services.search(
        parameters.q,
        language,
        category=category,
        limit=parameters.limit,
        offset=parameters.offset,
        as_you_type=parameters.as_you_type,
    )
    categories = {c.pk: c.slug for c in services.navigation_categories()}
    with translation.override(language):
        results = [
            SearchResult(
                kind=hit.kind,  # type: ignore[arg-type]
                slug=hit.slug,
                title=hit.title,
                title_html=hit.title_html,
                snippet_html=hit.snippet_html,
                url=reverse(f"helpcenter:{hit.kind}", kwargs={"slug": hit.slug}),
                category=categories.get(hit.category_id or 0),
                score=hit.score,
            )
            for hit in page.hits
        ]
    return SearchResponse(query=page.query, lang=language, total=page.total, results=results)
