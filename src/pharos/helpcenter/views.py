from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pharos.core.ratelimit import allow_request

from . import services
from .forms import VoteForm
from .models import Announcement, Article, Category, Product, Tag
from .scenarios import CHANNEL_ARTICLES, SCENARIOS, channel_links
from .visitors import create_visitor_id, key_for_visitor_id, remember_visitor, visitor_key

SEARCH_PAGE_SIZE = 10


def _language() -> str:
    return translation.get_language() or "en"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "helpcenter/home.html",
        {
            "promoted": services.promoted_articles(),
            "announcements": services.published_announcements()[:4],
        },
    )


@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    return render(
        request,
        "helpcenter/category.html",
        {
            "category": category,
            "articles": services.articles_in_category(category),
            "announcements": (
                services.published_announcements() if category.lists_announcements else None
            ),
        },
    )


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    previewing = request.GET.get("preview") == "1" and request.user.has_perm(
        "helpcenter.change_article"
    )
    try:
        page = (
            services.article_page(services.article_for_preview(slug))
            if previewing
            else services.published_article_page(slug)
        )
    except services.ArticleNotFound as missing:
        raise Http404(_("No such article.")) from missing
    if not previewing:
        services.record_article_view(page.article)
    return render(
        request,
        "helpcenter/article.html",
        {
            "article": page.article,
            "category": page.article.category,
            "page": page,
            "vote": services.visitor_vote(page.article, visitor_key(request)),
            "vote_form": VoteForm(),
            "previewing": previewing,
        },
    )


@require_POST
def article_vote(request: HttpRequest, slug: str) -> HttpResponse:
    """The "was this helpful?" form; answers JSON to the page's script, a redirect otherwise."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        article = services.published_article(slug)
    except services.ArticleNotFound as missing:
        raise Http404(_("No such article.")) from missing
    if not allow_request("vote", request):
        message = _("Too many votes from your network. Please try again later.")
        return (
            JsonResponse({"error": message}, status=429)
            if wants_json
            else HttpResponse(message, status=429)
        )
    form = VoteForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"error": _("Please choose yes or no.")}, status=400)
        return redirect(article_url(article))
    new_visitor_id = None
    key = visitor_key(request)
    if key is None:
        new_visitor_id = create_visitor_id()
        key = key_for_visitor_id(new_visitor_id)
    result = services.vote_on_article(
        article, key, form.cleaned_data["helpful"], form.cleaned_data["comment"], _language()
    )
    response: HttpResponse
    if wants_json:
        response = JsonResponse(
            {"helpful": result.helpful, "message": _("Thank you for your feedback.")}
        )
    else:
        response = redirect(f"{article_url(article)}#feedback")
    if new_visitor_id:
        remember_visitor(response, new_visitor_id)
    return response


def article_url(article: Article) -> str:
    return reverse("helpcenter:article", kwargs={"slug": article.slug})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = services.clean_query(request.GET.get("q", ""))
    category = services.category_by_slug(request.GET.get("category"))
    page_number = _page_number(request)
    limited = not allow_request("search", request)
    page = None
    if query and not limited:
        page = services.search(
            query,
            _language(),
            category=category,
            limit=SEARCH_PAGE_SIZE,
            offset=(page_number - 1) * SEARCH_PAGE_SIZE,
        )
    categories = {c.pk: c for c in services.navigation_categories()}
    return render(
        request,
        "helpcenter/search.html",
        {
            "query": query,
            "category": category,
            "page": page,
            "hits": [
                {"hit": hit, "category": categories.get(hit.category_id or 0)}
                for hit in (page.hits if page else [])
            ],
            "page_number": page_number,
            "has_next": bool(page and page.total > page_number * SEARCH_PAGE_SIZE),
            "rate_limited": limited,
        },
        status=429 if limited else 200,
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), 100)
    except ValueError:
        return 1


@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(services.published_announcements(), 20)
    return render(
        request,
        "helpcenter/announcement_list.html",
        {"page": paginator.get_page(request.GET.get("page"))},
    )


@require_GET
def announcement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    announcement = get_object_or_404(Announcement, slug=slug, published=True)
    products = dict(Product.choices)
    return render(
        request,
        "helpcenter/announcement.html",
        {
            "announcement": announcement,
            "affected_products": [products.get(p, p) for p in announcement.affected_products],
        },
    )


@require_GET
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = services.articles_with_tag(tag)
    return render(request, "helpcenter/tag.html", {"tag": tag, "articles": articles})


@require_GET
def scenario_guide(request: HttpRequest) -> HttpResponse:
    slugs = {slug for scenario in SCENARIOS for slug in scenario.articles}
    articles = services.published_articles_by_slug(slugs | set(CHANNEL_ARTICLES.values()))
    urls = {slug: article_url(article) for slug, article in articles.items()}
    return render(
        request,
        "helpcenter/guide.html",
        {
            "scenarios": [
                {
                    "scenario": scenario,
                    "channels": channel_links(scenario, urls, settings.PHAROS_BRAND),
                    "articles": [articles[slug] for slug in scenario.articles if slug in articles],
                }
                for scenario in SCENARIOS
            ],
        },
    )
