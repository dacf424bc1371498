"""The bot's records and the learning loop: each exchange logged with its outcome and the
customer's feedback; the misses grouped for admins, who attach a question to the right
article (or FAQ entry) in one step, which the bot uses at once; FAQ entries and example
questions kept; and the deflection report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.core import signing
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pharos.accounts import services as accounts
from pharos.accounts.models import User
from pharos.conversations.models import Channel, Conversation
from pharos.conversations.services import SOLVED_BY_BOT_TAG
from pharos.helpcenter.models import Article, ArticleStatus

from . import knowledge, safety
from .embedding import default_embedder
from .matcher import Ranking
from .models import BotExchange, ExampleQuestion, FaqEntry, Feedback, Outcome, QuestionSource

MAX_QUESTION_CHARACTERS = 300
GUEST_FEEDBACK_SALT = "pharos.bot.guest-feedback"
# Misses whose questions are at least this similar (cosine of their embeddings) are shown
# as one group: "card not arrived" and "my card still hasn't come" are one problem.
GROUP_SIMILARITY = 0.9


class BotError(Exception):
    """Something an admin asked for cannot be done; the message says why."""


# --- the exchanges ------------------------------------------------------------------------------
def log_exchange(
    *,
    question: str,
    language: str,
    outcome: str,
    reason: str,
    ranking: Ranking | None,
    offered: Sequence[str],
    conversation: Conversation | None,
) -> BotExchange:
    best = ranking.best if ranking else None
    return BotExchange.objects.create(
        conversation=conversation,
        question=question[:1000],
        language=language,
        outcome=outcome,
        reason=reason,
        answers=list(offered),
        best_guess=best.key if best else "",
        confidence=round(best.confidence, 4) if best else 0.0,
    )


def record_feedback(conversation: Conversation, feedback: str) -> None:
    """The customer pressed Solved, Not solved or Talk to a person under the bot's last
    answer in this chat."""
    exchange = (
        BotExchange.objects.filter(conversation=conversation)
        .exclude(outcome__in=[Outcome.SMALL_TALK])
        .order_by("-created_at", "-id")
        .first()
    )
    if exchange is not None and not exchange.feedback:
        exchange.feedback = feedback
        exchange.save(update_fields=["feedback"])


def guest_feedback_token(exchange_id: int) -> str:
    """Lets a guest's page give feedback on its own exchange and no other."""
    return signing.dumps(exchange_id, salt=GUEST_FEEDBACK_SALT)


def record_guest_feedback(token: str, feedback: str) -> None:
    if feedback not in {Feedback.SOLVED, Feedback.NOT_SOLVED}:
        raise BotError(_("That was not understood."))
    try:
        exchange_id = signing.loads(token, salt=GUEST_FEEDBACK_SALT, max_age=24 * 3600)
    except signing.BadSignature as bad:
        raise BotError(_("That was not understood.")) from bad
    # Once only: a replayed request does not change what the guest said first.
    BotExchange.objects.filter(pk=exchange_id, conversation=None, feedback="").update(
        feedback=feedback
    )


# --- what the bot knows -------------------------------------------------------------------------
def check_question_text(text: str) -> str:
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise BotError(_("Write the question."))
    if len(cleaned) > MAX_QUESTION_CHARACTERS:
        raise BotError(
            _("A question can be at most %(count)d characters.")
            % {"count": MAX_QUESTION_CHARACTERS}
        )
    return cleaned


def answer_key(target: Article | FaqEntry) -> str:
    if isinstance(target, Article):
        return knowledge.ARTICLE + target.slug
    return f"{knowledge.FAQ}{target.pk}"


def answer_choices(language: str) -> list[tuple[str, str]]:
    """Every published article and FAQ entry a question can be attached to, as (key, title)."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).order_by(
        "category__position", "position", "id"
    )
    return [(answer_key(article), article.localized("title", language)) for article in articles] + [
        (answer_key(entry), _("FAQ: %(question)s") % {"question": entry.question(language)})
        for entry in FaqEntry.objects.filter(published=True)
    ]


def target_for_key(key: str) -> Article | FaqEntry:
    """The published article or FAQ entry a key names ("article:<slug>", "faq:<id>")."""
    if key.startswith(knowledge.ARTICLE):
        article = Article.objects.filter(
            slug=key.removeprefix(knowledge.ARTICLE), status=ArticleStatus.PUBLISHED
        ).first()
        if article is not None:
            return article
    elif key.startswith(knowledge.FAQ) and key.removeprefix(knowledge.FAQ).isdigit():
        entry = FaqEntry.objects.filter(
            pk=int(key.removeprefix(knowledge.FAQ)), published=True
        ).first()
        if entry is not None:
            return entry
    raise BotError(_("Choose a published article or FAQ entry."))


@transaction.atomic
def add_example_question(
    target: Article | FaqEntry,
    text: str,
    language: str,
    *,
    by: User | None = None,
    source: str = QuestionSource.CONTENT,
) -> ExampleQuestion:
    """A way users ask for this article or entry; the bot knows it from the next question on."""
    cleaned = check_question_text(text)
    if language not in {"en", "zh-hans"}:
        raise BotError(_("Choose English or Chinese."))
    article = target if isinstance(target, Article) else None
    faq_entry = target if isinstance(target, FaqEntry) else None
    example, _created = ExampleQuestion.objects.get_or_create(
        article=article,
        faq_entry=faq_entry,
        language=language,
        text=cleaned,
        defaults={"source": source, "added_by": by},
    )
    knowledge.bump_knowledge_version()
    return example


def example_questions_changed() -> None:
    """After the admin site added, changed or removed example questions or FAQ entries."""
    knowledge.bump_knowledge_version()


def check_faq_answer(text: str) -> None:
    if safety.asks_for_secrets_or_transfers(text):
        raise BotError(
            _(
                "The bot never asks for passwords, codes, seed phrases or private keys, and never "
                "tells anyone to transfer funds. Rewrite the answer."
            )
        )


# --- the learning loop --------------------------------------------------------------------------
@dataclass
class MissGroup:
    exchanges: list[BotExchange]
    guess: str  # the key the bot leaned to, "" if none
    kind: str  # "unanswered", "off_topic" or "wrong"
    languages: list[str] = field(default_factory=list)

    @property
    def question(self) -> str:
        return self.exchanges[0].question

    @property
    def ids(self) -> str:
        return ",".join(str(exchange.pk) for exchange in self.exchanges)


def misses(days: int = 30) -> QuerySet[BotExchange]:
    """Questions the bot could not answer, and answers the customer said did not help,
    not yet reviewed."""
    since = timezone.now() - timedelta(days=days)
    return (
        BotExchange.objects.filter(created_at__gte=since, reviewed_at=None)
        .filter(
            Q(outcome__in=[Outcome.OFF_TOPIC])
            | Q(outcome=Outcome.HANDED_OFF, reason="not_confident")
            | Q(
                outcome__in=[Outcome.ANSWERED, Outcome.CHOICE],
                feedback__in=[Feedback.NOT_SOLVED, Feedback.HANDED_OFF],
            )
        )
        .order_by("-created_at")
    )


def grouped_misses(days: int = 30, limit: int = 500) -> list[MissGroup]:
    """Misses grouped by meaning (greedy: each question joins the first group whose first
    question is similar enough), largest group first."""
    found = list(misses(days)[:limit])
    if not found:
        return []
    vectors = default_embedder().embed([exchange.question for exchange in found])
    groups: list[MissGroup] = []
    heads: list[np.ndarray] = []
    for exchange, vector in zip(found, vectors, strict=True):
        kind = (
            "wrong"
            if exchange.feedback
            else "off_topic"
            if exchange.outcome == Outcome.OFF_TOPIC
            else "unanswered"
        )
        for group, head in zip(groups, heads, strict=True):
            if group.kind == kind and float(head @ vector) >= GROUP_SIMILARITY:
                group.exchanges.append(exchange)
                break
        else:
            # A guess for a question about nothing we know is no suggestion for the admin.
            guess = "" if kind == "off_topic" else exchange.best_guess
            groups.append(MissGroup([exchange], guess, kind))
            heads.append(vector)
    for group in groups:
        group.languages = sorted({exchange.language for exchange in group.exchanges})
    groups.sort(key=lambda group: (-len(group.exchanges), -group.exchanges[0].pk))
    return groups


@transaction.atomic
def attach_questions(exchange_ids: Sequence[int], key: str, by: User) -> int:
    """The one step of the learning loop: the questions of a group become example
    questions of the right article or entry, and the group is marked reviewed."""
    target = target_for_key(key)
    exchanges = list(BotExchange.objects.filter(pk__in=exchange_ids, reviewed_at=None))
    if not exchanges:
        raise BotError(_("These questions were already reviewed."))
    added = 0
    for exchange in exchanges:
        language = exchange.language if exchange.language in {"en", "zh-hans"} else "en"
        text = exchange.question[:MAX_QUESTION_CHARACTERS]
        add_example_question(target, text, language, by=by, source=QuestionSource.LEARNED)
        added += 1
    BotExchange.objects.filter(pk__in=[exchange.pk for exchange in exchanges]).update(
        reviewed_at=timezone.now()
    )
    accounts.record_audit_event(
        by, "bot.questions_attached", target, detail={"key": key, "count": added}
    )
    return added


def dismiss_misses(exchange_ids: Sequence[int], by: User) -> int:
    """Not a question the bot should answer (a one-off, a test, abuse)."""
    count = BotExchange.objects.filter(pk__in=exchange_ids, reviewed_at=None).update(
        reviewed_at=timezone.now()
    )
    accounts.record_audit_event(
        by, "bot.misses_dismissed", BotExchange, detail={"ids": list(exchange_ids)[:500]}
    )
    return count


# --- the deflection report ----------------------------------------------------------------------
@dataclass(frozen=True)
class Deflection:
    days: int
    chats: int  # chats started in the period
    ended: int  # of which ended
    solved_by_bot: int  # the customer pressed Solved
    ended_without_person: int  # ended and never handed to a person (Solved included)
    handed_off: int
    questions: int  # everything asked of the bot, guests' questions included
    answered: int
    choices: int
    small_talk: int
    not_confident: int
    feedback_solved: int
    feedback_not_solved: int

    @property
    def deflection_rate(self) -> float | None:
        """Of the chats that ended, the share no person had to take."""
        return self.ended_without_person / self.ended if self.ended else None

    @property
    def confirmed_rate(self) -> float | None:
        return self.solved_by_bot / self.ended if self.ended else None


def deflection_report(days: int = 30) -> Deflection:
    since = timezone.now() - timedelta(days=days)
    chats = Conversation.objects.filter(channel=Channel.CHAT, created_at__gte=since)
    ended = chats.filter(Q(closed_at__isnull=False) | Q(resolved_at__isnull=False))
    without_person = ended.filter(queued_at__isnull=True, first_response_at__isnull=True)
    counts = BotExchange.objects.filter(created_at__gte=since).aggregate(
        questions=Count("id"),
        answered=Count("id", filter=Q(outcome=Outcome.ANSWERED)),
        choices=Count("id", filter=Q(outcome=Outcome.CHOICE)),
        small_talk=Count("id", filter=Q(outcome__in=[Outcome.SMALL_TALK, Outcome.OFF_TOPIC])),
        not_confident=Count("id", filter=Q(outcome=Outcome.HANDED_OFF, reason="not_confident")),
        feedback_solved=Count("id", filter=Q(feedback=Feedback.SOLVED)),
        feedback_not_solved=Count("id", filter=Q(feedback=Feedback.NOT_SOLVED)),
    )
    return Deflection(
        days=days,
        chats=chats.count(),
        ended=ended.count(),
        solved_by_bot=_count_tagged(ended, SOLVED_BY_BOT_TAG),
        ended_without_person=without_person.count(),
        handed_off=chats.filter(queued_at__isnull=False).count(),
        **counts,
    )


def _count_tagged(conversations: QuerySet[Conversation], tag: str) -> int:
    if connection.features.supports_json_field_contains:  # PostgreSQL
        return conversations.filter(tags__contains=[tag]).count()
    return sum(1 for tags in conversations.values_list("tags", flat=True) if tag in tags)
