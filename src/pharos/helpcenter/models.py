"""Help-center content. Every text users read exists in English and Simplified Chinese,
stored side by side (`*_en`, `*_zh_hans`) so editors see both at once."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_SUFFIXES = {"en": "en", "zh-hans": "zh_hans"}
# Symbols in core/static/core/icons.svg that a category card can show.
CATEGORY_ICONS = (
    "rocket",
    "chart",
    "shield",
    "swap",
    "chat",
    "megaphone",
    "code",
    "book",
    "people",
)


def language_suffix(language: str) -> str:
    return LANGUAGE_SUFFIXES.get(language, "en")


class Bilingual(models.Model):
    """Reads a translated field in the wanted language, falling back to the other one."""

    class Meta:
        abstract = True

    def localized(self, name: str, language: str) -> str:
        value = getattr(self, f"{name}_{language_suffix(language)}", "")
        if value:
            return str(value)
        for suffix in LANGUAGE_SUFFIXES.values():
            if value := getattr(self, f"{name}_{suffix}", ""):
                return str(value)
        return ""


class Category(Bilingual):
    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=80)
    description_en = models.CharField(_("description (English)"), max_length=240, blank=True)
    description_zh_hans = models.CharField(_("description (Chinese)"), max_length=240, blank=True)
    icon = models.CharField(
        max_length=16,
        blank=True,
        choices=[(name, name) for name in CATEGORY_ICONS],
        help_text=_("The symbol shown on the category card."),
    )
    position = models.PositiveIntegerField(default=100)
    lists_announcements = models.BooleanField(
        default=False, help_text=_("Show announcements on this category's page.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_zh_hans}"


class Tag(Bilingual):
    slug = models.SlugField(unique=True)
    name_en = models.CharField(max_length=60)
    name_zh_hans = models.CharField(max_length=60)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_zh_hans}"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Article(Bilingual):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(
        max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    promoted = models.BooleanField(default=False, help_text=_("Listed on the home page."))
    position = models.PositiveIntegerField(default=100)

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    summary_zh_hans = models.CharField(_("summary (Chinese)"), max_length=300, blank=True)
    body_en = models.TextField(_("body (English, Markdown)"))
    body_zh_hans = models.TextField(_("body (Chinese, Markdown)"))
    keywords_en = models.TextField(
        _("search keywords (English)"),
        blank=True,
        help_text=_("How users ask about this, one phrase per line. Only search sees them."),
    )
    keywords_zh_hans = models.TextField(
        _("search keywords (Chinese)"),
        blank=True,
        help_text=_("How users ask about this, one phrase per line. Only search sees them."),
    )
    # Rendered, sanitised HTML, kept in step with the Markdown by services.save_article.
    body_html_en = models.TextField(editable=False, default="")
    body_html_zh_hans = models.TextField(editable=False, default="")

    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="+", verbose_name=_("related articles")
    )

    view_count = models.PositiveBigIntegerField(default=0, editable=False)
    helpful_yes_count = models.PositiveIntegerField(default=0, editable=False)
    helpful_no_count = models.PositiveIntegerField(default=0, editable=False)

    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__position", "position", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "category", "position"])]

    def __str__(self) -> str:
        return self.title_en

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleVote(models.Model):
    """One "was this helpful?" answer per visitor and article (a visitor may change it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    visitor_key = models.CharField(max_length=80)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_key"], name="one_vote_per_visitor")
        ]
        verbose_name = _("feedback vote")
        verbose_name_plural = _("feedback votes")

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.article_id}"


class AnnouncementKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    SECURITY_ALERT = "security_alert", _("Security alert")
    NEW_FEATURE = "new_feature", _("New feature")
    EVENT = "event", _("Event")


class Product(models.TextChoices):
    SPOT = "spot", _("Spot trading")
    FUTURES = "futures", _("Futures")
    P2P = "p2p", _("P2P")
    DEPOSITS = "deposits", _("Deposits")
    WITHDRAWALS = "withdrawals", _("Withdrawals")
    API = "api", _("API")
    APP = "app", _("App")
    ACCOUNT = "account", _("Account and login")


class Announcement(Bilingual):
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=AnnouncementKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    body_en = models.TextField(_("body (English, Markdown)"))
    body_zh_hans = models.TextField(_("body (Chinese, Markdown)"))
    body_html_en = models.TextField(editable=False, default="")
    body_html_zh_hans = models.TextField(editable=False, default="")
    affected_products = models.JSONField(default=list, blank=True)
    affected_coins = models.JSONField(
        default=list, blank=True, help_text=_('Coins and networks, e.g. ["USDT-TRC20", "BTC"].')
    )
    starts_at = models.DateTimeField(help_text=_("When the event or notice begins."))
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty for no end. The banner shows only meanwhile.")
    )
    show_banner = models.BooleanField(default=True)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    def is_active(self, at: datetime | None = None) -> bool:
        moment = at or timezone.now()
        return (
            self.published
            and self.starts_at <= moment
            and (self.ends_at is None or moment < self.ends_at)
        )


class SynonymGroup(models.Model):
    """Words search treats as one (added to the built-in groups)."""

    terms = models.TextField(help_text=_("Comma- or line-separated, any language."))
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return ", ".join(self.term_list()[:6])

    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.replace("\n", ",").split(",") if term.strip()]


class SearchMiss(models.Model):
    """A search that found nothing, counted per normalised query and language."""

    query = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    count = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "language"], name="one_miss_row_per_query")
        ]
        ordering = ["-count", "-last_seen_at"]
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")

    def __str__(self) -> str:
        return self.query


class ContentVersion(models.Model):
    """Changed by every content change, so each server process notices that its search
    index is stale (one row, id 1)."""

    version = models.PositiveBigIntegerField(default=0)
    # Changed when a change (synonyms, tag names) needs every document analysed again.
    rebuild_version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"content version {self.version}"
