"""Search behaviour a reader notices: Chinese in both scripts, English forms and typos,
titles first, synonyms, highlights, as-you-type, freshness and odd input."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pharos.helpcenter import indexing, services
from pharos.helpcenter.models import Article, SearchMiss, SynonymGroup

from .factories import make_article

pytestmark = pytest.mark.django_db


def slugs(query: str, language: str = "en", **options: object) -> list[str]:
    return [hit.slug for hit in services.search(query, language, **options).hits]  # type: ignore[arg-type]


def test_traditional_and_simplified_chinese_find_the_same_articles() -> None:
    simplified = slugs("提币审核", "zh-hans")
    traditional = slugs("提幣審核", "zh-hans")
    assert simplified[:3] == traditional[:3]
    assert "withdrawal-pending-or-under-review" in simplified[:3]


def test_english_ignores_case_and_plural_forms() -> None:
    assert slugs("WITHDRAWALS")[:3] == slugs("withdrawal")[:3]


def test_english_tolerates_small_typos() -> None:
    assert "withdrawal-pending-or-under-review" in slugs("withdrawl pendng")[:3]
    assert "set-up-google-authenticator" in slugs("google authenticatr")[:3]


def test_a_title_match_ranks_above_body_mentions() -> None:
    make_article(
        "quokka-in-body",
        title_en="Notes on marsupials",
        body_en="Quokka quokka quokka. The quokka is here, quokka again.",
    )
    make_article("quokka-in-title", title_en="Quokka guide", body_en="Short body.")
    assert slugs("quokka")[:2] == ["quokka-in-title", "quokka-in-body"]


def test_synonyms_match_across_words_and_are_highlighted() -> None:
    make_article(
        "cashout-tips-zh",
        title_zh_hans="提现小贴士",
        body_zh_hans="关于提现速度的说明。",
        title_en="Cash-out tips",
    )
    hits = {hit.slug: hit for hit in services.search("提币", "zh-hans", limit=100).hits}
    assert "cashout-tips-zh" in hits
    assert "<mark>提现</mark>" in hits["cashout-tips-zh"].title_html


def test_synonyms_from_the_admin_take_effect_at_once() -> None:
    make_article("bananacoin", title_en="BananaCoin listing", body_en="About BananaCoin.")
    assert "bananacoin" not in slugs("香蕉币", "zh-hans")
    services.save_synonym_group(SynonymGroup(terms="bananacoin, 香蕉币"))
    assert "bananacoin" in slugs("香蕉币", "zh-hans")


def test_snippets_highlight_matches_and_escape_html() -> None:
    make_article(
        "escaped-snippet",
        title_en="Snippet zebra",
        body_en="Paste `<script>alert('zebra')</script>` nowhere. Zebra rules apply.",
    )
    hit = next(h for h in services.search("zebra", "en").hits if h.slug == "escaped-snippet")
    assert "<mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html


def test_results_as_you_type_complete_the_last_word() -> None:
    assert "anti-phishing-code" in slugs("anti-phish", as_you_type=True)[:3]
    assert "liquidation-risk" in slugs("liquidation pri", as_you_type=True)[:3]
    assert all("withdraw" in slug for slug in slugs("withdr", as_you_type=True)[:3])


def test_a_chinese_query_on_the_english_site_shows_english_titles() -> None:
    page = services.search("提币", "en", limit=3)
    assert page.hits
    assert all(hit.title.isascii() for hit in page.hits)


def test_a_new_article_is_searchable_at_once_and_gone_when_unpublished() -> None:
    article = make_article("okapi-news", title_en="Okapi withdrawals explained")
    assert slugs("okapi") == ["okapi-news"]
    services.set_articles_published(Article.objects.filter(pk=article.pk), False)
    assert slugs("okapi") == []
    services.set_articles_published(Article.objects.filter(pk=article.pk), True)
    assert slugs("okapi") == ["okapi-news"]
    services.delete_articles(Article.objects.filter(pk=article.pk))
    assert slugs("okapi") == []


def test_an_edit_replaces_the_old_words() -> None:
    article = make_article("renamed", title_en="Capybara fees")
    assert slugs("capybara") == ["renamed"]
    article.title_en = "Wombat fees"
    services.save_article(article)
    assert slugs("capybara") == []
    assert slugs("wombat") == ["renamed"]


def test_a_change_written_by_another_process_is_seen_on_the_next_search() -> None:
    article = make_article("elsewhere", title_en="Narwhal limits")
    assert slugs("narwhal") == ["elsewhere"]
    # What another server process does: write the row, then move the content version.
    Article.objects.filter(pk=article.pk).update(
        title_en="Pangolin limits", updated_at=timezone.now()
    )
    indexing.bump_content_version()
    assert slugs("pangolin") == ["elsewhere"]
    assert slugs("narwhal") == []


def test_searches_without_results_are_counted_for_the_content_team() -> None:
    services.search("xylophone zamboni", "en")
    services.search("Xylophone   zamboni", "en")
    miss = SearchMiss.objects.get(query="xylophone zamboni", language="en")
    assert miss.count == 2
    services.search("withdraw", "en")
    assert not SearchMiss.objects.filter(query="withdraw").exists()


def test_keystrokes_of_as_you_type_searches_are_not_counted_as_misses() -> None:
    services.search("xylophon", "en", as_you_type=True)
    assert not SearchMiss.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "🚀🚀🚀",
        "x" * 10_000,
        "提" * 10_000,
        "' OR 1=1; DROP TABLE helpcenter_article; --",
        "<script>alert(1)</script>",
        "\x00\x01\x02 withdraw \u202e",
        "%%%___***",
    ],
)
def test_odd_queries_answer_normally(query: str) -> None:
    page = services.search(query, "en")
    assert page.total >= 0
    assert Article.objects.filter(slug="how-to-withdraw").exists()


def test_a_script_query_comes_back_escaped() -> None:
    page = services.search("<script>withdraw</script>", "en")
    assert page.hits
    assert all("<script>" not in hit.snippet_html + hit.title_html for hit in page.hits)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_no_query_raises(query: str) -> None:
    for language in ("en", "zh-hans"):
        services.search(query, language, as_you_type=True)


def test_highlights_land_on_the_original_characters() -> None:
    make_article(
        "aligned-marks",
        title_zh_hans="提幣…審核說明（ＡＰＩ）",
        body_zh_hans="正文",
        title_en="Aligned",
    )
    hits = services.search("审核 api", "zh-hans", limit=50).hits
    hit = next(h for h in hits if h.slug == "aligned-marks")
    assert "<mark>審核</mark>" in hit.title_html
    assert "<mark>ＡＰＩ</mark>" in hit.title_html
