""" "Was this helpful?": one vote per visitor, changeable, with an optional comment."""

from __future__ import annotations

import pytest
from django.test import Client

from pharos.helpcenter.models import Article, ArticleStatus, ArticleVote

from ..conftest import signed_in
from .factories import make_article

pytestmark = pytest.mark.django_db
VOTE_URL = "/en/articles/how-to-withdraw/vote/"
JSON = {"HTTP_ACCEPT": "application/json"}


def counts() -> tuple[int, int]:
    article = Article.objects.get(slug="how-to-withdraw")
    return article.helpful_yes_count, article.helpful_no_count


def test_a_visitor_votes_once_and_can_change_their_mind(stranger: Client) -> None:
    response = stranger.post(VOTE_URL, {"helpful": "yes"}, **JSON)
    assert response.status_code == 200
    assert response.json()["helpful"] is True
    assert counts() == (1, 0)
    stranger.post(VOTE_URL, {"helpful": "yes"}, **JSON)
    assert counts() == (1, 0)
    stranger.post(VOTE_URL, {"helpful": "no", "comment": "Did not mention TRC20 fees"}, **JSON)
    assert counts() == (0, 1)
    vote = ArticleVote.objects.get()
    assert vote.helpful is False
    assert vote.comment == "Did not mention TRC20 fees"


def test_each_visitor_has_their_own_vote(customer) -> None:
    Client().post(VOTE_URL, {"helpful": "yes"}, **JSON)
    Client().post(VOTE_URL, {"helpful": "no"}, **JSON)
    signed_in(customer.user).post(VOTE_URL, {"helpful": "yes"}, **JSON)
    assert counts() == (2, 1)
    assert ArticleVote.objects.filter(visitor_key=f"user:{customer.user.pk}").exists()


def test_the_page_remembers_the_visitors_vote(stranger: Client) -> None:
    stranger.post(VOTE_URL, {"helpful": "yes"})
    page = stranger.get("/en/articles/how-to-withdraw/").content.decode()
    assert "You found this helpful." in page


def test_without_javascript_the_vote_redirects_back_to_the_article(stranger: Client) -> None:
    response = stranger.post(VOTE_URL, {"helpful": "no"})
    assert response.status_code == 302
    assert response["Location"] == "/en/articles/how-to-withdraw/#feedback"


def test_a_long_comment_is_cut_not_refused(stranger: Client) -> None:
    response = stranger.post(VOTE_URL, {"helpful": "no", "comment": "x" * 5000}, **JSON)
    assert response.status_code == 400
    stranger.post(VOTE_URL, {"helpful": "no", "comment": "y" * 1000}, **JSON)
    assert len(ArticleVote.objects.get().comment) == 1000


def test_a_vote_without_a_choice_is_refused_clearly(stranger: Client) -> None:
    response = stranger.post(VOTE_URL, {"helpful": "maybe"}, **JSON)
    assert response.status_code == 400
    assert "yes or no" in response.json()["error"]
    assert not ArticleVote.objects.exists()


def test_a_vote_needs_the_csrf_token() -> None:
    response = Client(enforce_csrf_checks=True).post(VOTE_URL, {"helpful": "yes"})
    assert response.status_code == 403
    assert not ArticleVote.objects.exists()


def test_script_in_a_comment_is_stored_as_text_and_never_rendered(
    stranger: Client, support_admin
) -> None:
    stranger.post(VOTE_URL, {"helpful": "no", "comment": "<script>alert(1)</script>"}, **JSON)
    admin_page = signed_in(support_admin.user).get("/admin/helpcenter/articlevote/")
    assert admin_page.status_code == 200
    assert "<script>alert(1)</script>" not in admin_page.content.decode()


def test_votes_on_unpublished_articles_are_refused(stranger: Client) -> None:
    make_article("hidden-draft", status=ArticleStatus.DRAFT)
    assert stranger.post("/en/articles/hidden-draft/vote/", {"helpful": "yes"}).status_code == 404


def test_a_flood_of_votes_is_rate_limited(stranger: Client, settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote": (3, 3600)}
    statuses = [Client().post(VOTE_URL, {"helpful": "yes"}, **JSON).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert counts() == (3, 0)
