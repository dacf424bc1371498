"""Editing the help center: both languages side by side, a live preview of the Markdown,
publish and unpublish. Every save goes through the services, so search sees it at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import services
from .markdown import render_markdown
from .models import (
    Announcement,
    Article,
    ArticleVote,
    Category,
    Product,
    SearchMiss,
    SynonymGroup,
    Tag,
)

SIDE_BY_SIDE_MEDIA = forms.Media(
    css={"all": ["helpcenter/admin/editor.css"]}, js=["helpcenter/admin/editor.js"]
)


class MarkdownPreviewMixin:
    """Adds the preview endpoint the editor's script calls."""

    def get_urls(self) -> list[URLPattern]:
        info = self.model._meta.app_label, self.model._meta.model_name  # type: ignore[attr-defined]
        preview = self.admin_site.admin_view(require_POST(self.preview_view))  # type: ignore[attr-defined]
        return [path("preview/", preview, name="{}_{}_preview".format(*info)), *super().get_urls()]  # type: ignore[misc]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request) and not self.has_add_permission(request):  # type: ignore[attr-defined]
            return JsonResponse({"error": "forbidden"}, status=403)
        language = "zh-hans" if request.POST.get("language") == "zh-hans" else "en"
        source = request.POST.get("markdown", "")[:200_000]
        return JsonResponse({"html": render_markdown(source, language)})


@admin.register(Article)
class ArticleAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    list_display = [
        "title_en", "title_zh_hans", "category", "status", "promoted", "view_count",
        "helpful_yes_count", "helpful_no_count", "updated_at",
    ]  # fmt: skip
    list_filter = ["status", "category", "promoted", "tags"]
    search_fields = ["slug", "title_en", "title_zh_hans", "keywords_en", "keywords_zh_hans"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["tags", "related"]
    actions = ["publish", "unpublish"]
    readonly_fields = ["preview_link", "view_count", "helpful_yes_count", "helpful_no_count"]
    fieldsets = (
        (
            None,
            {"fields": ("category", "slug", ("status", "promoted", "position"), "preview_link")},
        ),
        (
            _("English | 中文"),
            {
                "classes": ("side-by-side",),
                "fields": (
                    ("title_en", "title_zh_hans"),
                    ("summary_en", "summary_zh_hans"),
                    ("body_en", "body_zh_hans"),
                    ("keywords_en", "keywords_zh_hans"),
                ),
            },
        ),
        (_("Links"), {"fields": ("tags", "related")}),
        (_("Reader feedback"), {"fields": ("view_count", "helpful_yes_count", "helpful_no_count")}),
    )

    @property
    def media(self) -> forms.Media:
        return super().media + SIDE_BY_SIDE_MEDIA

    @admin.display(description=_("Preview"))
    def preview_link(self, article: Article) -> str:
        if not article.pk:
            return "-"
        url = reverse("helpcenter:article", kwargs={"slug": article.slug}) + "?preview=1"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the page")
        )

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        services.save_article(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.article_relations_changed(form.instance)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        services.delete_articles(Article.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        services.delete_articles(queryset)

    @admin.action(description=_("Publish the selected articles"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = services.set_articles_published(queryset, True)
        self.message_user(request, _("%d article(s) published.") % count, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected articles"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = services.set_articles_published(queryset, False)
        self.message_user(request, _("%d article(s) unpublished.") % count, messages.SUCCESS)


class AnnouncementForm(forms.ModelForm):
    affected_products = forms.MultipleChoiceField(
        choices=Product.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    affected_coins = forms.CharField(
        required=False,
        help_text=_("Comma-separated, e.g. USDT-TRC20, BTC"),
        widget=forms.TextInput(attrs={"size": 60}),
    )

    class Meta:
        model = Announcement
        fields = [
            "slug", "kind", "starts_at", "ends_at", "show_banner", "published", "title_en",
            "title_zh_hans", "body_en", "body_zh_hans", "affected_products", "affected_coins",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["affected_coins"] = ", ".join(self.instance.affected_coins)

    def clean_affected_coins(self) -> list[str]:
        raw = self.cleaned_data.get("affected_coins") or ""
        coins = [coin.strip().upper() for coin in raw.split(",") if coin.strip()]
        for coin in coins:
            if len(coin) > 30 or not all(c.isalnum() or c in "-_." for c in coin):
                raise forms.ValidationError(_("Use coin or coin-network names like USDT-TRC20."))
        return coins


@admin.register(Announcement)
class AnnouncementAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ["title_en", "kind", "starts_at", "ends_at", "show_banner", "published"]
    list_filter = ["kind", "published", "show_banner"]
    search_fields = ["slug", "title_en", "title_zh_hans"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = (
        (
            None,
            {"fields": ("slug", "kind", ("starts_at", "ends_at"), ("show_banner", "published"))},
        ),
        (
            _("English | 中文"),
            {
                "classes": ("side-by-side",),
                "fields": (("title_en", "title_zh_hans"), ("body_en", "body_zh_hans")),
            },
        ),
        (_("Affected"), {"fields": ("affected_products", "affected_coins")}),
    )

    @property
    def media(self) -> forms.Media:
        return super().media + SIDE_BY_SIDE_MEDIA

    def save_model(self, request: HttpRequest, obj: Announcement, form: Any, change: bool) -> None:
        services.save_announcement(obj)

    def delete_model(self, request: HttpRequest, obj: Announcement) -> None:
        services.delete_announcements(Announcement.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        services.delete_announcements(queryset)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh_hans", "slug", "position", "lists_announcements"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        services.save_category(obj)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_zh_hans"]
    search_fields = ["slug", "name_en", "name_zh_hans"]

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        services.save_tag(obj)

    def delete_model(self, request: HttpRequest, obj: Tag) -> None:
        services.delete_tags(Tag.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Tag]) -> None:
        services.delete_tags(queryset)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]

    def save_model(self, request: HttpRequest, obj: SynonymGroup, form: Any, change: bool) -> None:
        services.save_synonym_group(obj)

    def delete_model(self, request: HttpRequest, obj: SynonymGroup) -> None:
        services.delete_synonym_groups(SynonymGroup.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SynonymGroup]) -> None:
        services.delete_synonym_groups(queryset)


@admin.register(SearchMiss)
class SearchMissAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "count", "first_seen_at", "last_seen_at"]
    list_filter = ["language"]
    search_fields = ["query"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ArticleVote)
class ArticleVoteAdmin(admin.ModelAdmin):
    list_display = ["article", "helpful", "comment", "language", "updated_at"]
    list_filter = ["helpful", "language"]
    search_fields = ["article__title_en", "comment"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
