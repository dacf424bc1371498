"""The bot's knowledge in the admin site: FAQ entries with their example questions, the
example questions of every article (also inline on the article's page), and the log of
exchanges (read-only). Every change tells the bot, which uses it from the next question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pharos.helpcenter.admin import ArticleAdmin

from . import services
from .models import BotExchange, ExampleQuestion, FaqEntry


class _TellsTheBot:
    """Saving or deleting through the admin moves the bot's knowledge version."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        services.example_questions_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        services.example_questions_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        services.example_questions_changed()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        services.example_questions_changed()


class ExampleQuestionInline(admin.TabularInline):
    model = ExampleQuestion
    fields = ["language", "text", "source"]
    readonly_fields = ["source"]
    extra = 1
    verbose_name_plural = _("Example questions (how users ask; the bot matches them)")


class FaqEntryForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["question_en", "question_zh_hans", "answer_en", "answer_zh_hans", "published"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for name in ("answer_en", "answer_zh_hans"):
            try:
                services.check_faq_answer(cleaned.get(name, ""))
            except services.BotError as refused:
                self.add_error(name, str(refused))
        return cleaned


@admin.register(FaqEntry)
class FaqEntryAdmin(_TellsTheBot, admin.ModelAdmin):
    form = FaqEntryForm
    list_display = ["question_en", "question_zh_hans", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["question_en", "question_zh_hans", "answer_en", "answer_zh_hans"]
    inlines = [ExampleQuestionInline]


@admin.register(ExampleQuestion)
class ExampleQuestionAdmin(_TellsTheBot, admin.ModelAdmin):
    list_display = ["text", "language", "article", "faq_entry", "source", "created_at"]
    list_filter = ["language", "source", "article__category"]
    search_fields = ["text", "article__slug", "article__title_en"]
    raw_id_fields = ["article", "faq_entry"]
    readonly_fields = ["source", "added_by", "created_at"]


@admin.register(BotExchange)
class BotExchangeAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "question",
        "language",
        "outcome",
        "reason",
        "best_guess",
        "confidence",
        "feedback",
    ]
    list_filter = ["outcome", "feedback", "language"]
    search_fields = ["question"]
    readonly_fields = [field.name for field in BotExchange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class _ArticleExampleQuestionInline(ExampleQuestionInline):
    fk_name = "article"


# The article's page lists its example questions too. Saving the article moves the help
# center's content version in the same transaction, which the bot's matcher watches.
ArticleAdmin.inlines = [*ArticleAdmin.inlines, _ArticleExampleQuestionInline]
