"""What the answer bot knows beyond the articles (example questions, standalone FAQ
entries) and what it did (each exchange with its outcome, for the learning loop)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pharos.conversations.models import Conversation
from pharos.helpcenter.models import Article

LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]


class FaqEntry(models.Model):
    """A short question and answer the bot can give that needs no article of its own."""

    question_en = models.CharField(_("question (English)"), max_length=200)
    question_zh_hans = models.CharField(_("question (Chinese)"), max_length=200)
    answer_en = models.TextField(_("answer (English, Markdown)"), max_length=2000)
    answer_zh_hans = models.TextField(_("answer (Chinese, Markdown)"), max_length=2000)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["question_en"]

    def __str__(self) -> str:
        return self.question_en

    def question(self, language: str) -> str:
        return self.question_zh_hans if language == "zh-hans" else self.question_en

    def answer(self, language: str) -> str:
        return self.answer_zh_hans if language == "zh-hans" else self.answer_en


class QuestionSource(models.TextChoices):
    CONTENT = "content", _("Written with the content")
    LEARNED = "learned", _("Learned from a customer's question")


class ExampleQuestion(models.Model):
    """A way a real user asks for an article or FAQ entry, in one language."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="example_questions"
    )
    faq_entry = models.ForeignKey(
        FaqEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="example_questions"
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    text = models.CharField(_("question"), max_length=300)
    source = models.CharField(
        max_length=10, choices=QuestionSource.choices, default=QuestionSource.CONTENT
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("example question")
        verbose_name_plural = _("example questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, faq_entry__isnull=True)
                | models.Q(article__isnull=True, faq_entry__isnull=False),
                name="example_question_answers_one_thing",
            )
        ]
        indexes = [models.Index(fields=["article"]), models.Index(fields=["faq_entry"])]

    def __str__(self) -> str:
        return self.text


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    CHOICE = "choice", _("Offered a choice")
    HANDED_OFF = "handed_off", _("Handed to a person")
    SMALL_TALK = "small_talk", _("Small talk")
    OFF_TOPIC = "off_topic", _("Off topic")
    VERIFIED = "verified", _("Checked whether something is official")


class Feedback(models.TextChoices):
    NONE = "", _("No feedback yet")
    SOLVED = "solved", _("Solved")
    NOT_SOLVED = "not_solved", _("Not solved")
    HANDED_OFF = "handed_off", _("Asked for a person")


class BotExchange(models.Model):
    """One customer question and what the bot did with it."""

    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="bot_exchanges"
    )
    question = models.CharField(max_length=1000)
    language = models.CharField(max_length=8)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=20, blank=True)  # why it handed off
    # What the bot offered, best first: ["article:slug", "faq:7"], and how sure it was.
    answers = models.JSONField(default=list, blank=True)
    best_guess = models.CharField(max_length=140, blank=True)
    confidence = models.FloatField(default=0.0)
    feedback = models.CharField(max_length=12, choices=Feedback.choices, default="", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("bot exchange")
        verbose_name_plural = _("bot exchanges")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["conversation", "-created_at"])]

    def __str__(self) -> str:
        return self.question[:60]


class KnowledgeVersion(models.Model):
    """Moves whenever what the bot knows changes, so that every process rebuilds its model
    (the help center's own content version covers the articles)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)
