"""The help-center JSON API and its documentation."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/helpcenter/search"


def test_search_api_answers_json_in_the_requested_language(stranger: Client) -> None:
    body = stranger.get(SEARCH, {"q": "提币", "lang": "en", "limit": 3}).json()
    assert body["lang"] == "en"
    assert body["total"] >= 3
    first = body["results"][0]
    assert set(first) == {
        "kind", "slug", "title", "title_html", "snippet_html", "url", "category", "score",
    }  # fmt: skip
    assert first["url"].startswith("/en/")
    assert first["title"].isascii()


def test_search_api_defaults_to_the_visitors_language(stranger: Client) -> None:
    body = stranger.get(SEARCH, {"q": "withdraw"}, HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert body["lang"] == "zh-hans"
    assert body["results"][0]["url"].startswith("/zh-hans/")


def test_search_api_filters_by_category(stranger: Client) -> None:
    body = stranger.get(SEARCH, {"q": "fee", "category": "api", "lang": "en"}).json()
    assert body["results"]
    assert {result["category"] for result in body["results"]} == {"api"}


def test_search_api_pages_through_results(stranger: Client) -> None:
    first = stranger.get(SEARCH, {"q": "withdraw", "lang": "en", "limit": 2}).json()
    second = stranger.get(SEARCH, {"q": "withdraw", "lang": "en", "limit": 2, "offset": 2}).json()
    assert {r["slug"] for r in first["results"]}.isdisjoint({r["slug"] for r in second["results"]})


@pytest.mark.parametrize(
    "params", [{"lang": "fr"}, {"limit": 500}, {"limit": 0}, {"offset": -1}, {"limit": "ten"}]
)
def test_search_api_rejects_bad_parameters_clearly(stranger: Client, params: dict) -> None:
    response = stranger.get(SEARCH, {"q": "fee", **params})
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize("query", ["", "🚀", "x" * 10_000, "1; DROP TABLE x", "%00"])
def test_search_api_answers_odd_queries(stranger: Client, query: str) -> None:
    response = stranger.get(SEARCH, {"q": query, "lang": "en"})
    assert response.status_code == 200
    assert response.json()["total"] >= 0


def test_search_api_is_rate_limited_per_client(stranger: Client, settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    statuses = [stranger.get(SEARCH, {"q": "fee"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_search_api_uses_a_bounded_number_of_queries(
    stranger: Client, django_assert_max_num_queries
) -> None:
    stranger.get(SEARCH, {"q": "withdraw"})  # warms the index
    with django_assert_max_num_queries(2):
        stranger.get(SEARCH, {"q": "deposit not arrived", "lang": "en"})


def test_the_api_is_documented(stranger: Client) -> None:
    schema = stranger.get("/api/openapi.json").json()
    assert "/api/v1/helpcenter/search" in schema["paths"]
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/helpcenter/search"]["get"]["parameters"]
    }
    assert {"q", "lang", "category", "limit", "offset", "as_you_type"} <= parameters
    docs = stranger.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_unknown_api_paths_answer_json_404(stranger: Client) -> None:
    response = stranger.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.text(max_size=200),
    category=st.one_of(st.none(), st.text(max_size=60)),
    lang=st.sampled_from(["en", "zh-hans", "fr", ""]),
    limit=st.integers(min_value=-5, max_value=80),
)
def test_search_api_never_fails_on_any_input(
    stranger: Client, query: str, category: str | None, lang: str, limit: int
) -> None:
    params = {"q": query, "lang": lang, "limit": limit, "as_you_type": "true"}
    if category is not None:
        params["category"] = category
    response = stranger.get(SEARCH, params)
    assert response.status_code in {200, 422}
    assert response.headers["Content-Type"].startswith("application/json")
