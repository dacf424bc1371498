"""The answer bot behind the chat's AnswerBot interface (settings.CHAT_ANSWER_BOT).

In order: an urgent problem or a request for a person goes to a person at once; then the
matcher ranks what the bot knows, and the policy answers, offers a choice of two, hands
off, or says what it can help with (small talk and off-topic messages get a line, not an
article). An active announcement about what was asked comes first. Every reply passes
the safety check, and every exchange is logged for the learning loop."""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from pharos.conversations.models import Conversation, Topic
from pharos.helpcenter.models import Article, ArticleStatus
from pharos.livechat.bot import (
    ANSWER,
    CHOOSE,
    HAND_OFF,
    SIGN_IN,
    SMALL_TALK,
    ArticleLink,
    BotReply,
)
from pharos.livechat.handoff import asks_for_a_person, sounds_urgent
from pharos.trust import services as trust

from . import incidents, knowledge, policy, safety, smalltalk
from .matcher import Candidate, Ranking
from .models import FaqEntry, Outcome
from .services import log_exchange


class KnowledgeBot:
    def reply(
        self,
        question: str,
        language: str,
        topic: Topic | None,
        signed_in: bool,
        conversation: Conversation | None = None,
    ) -> BotReply:
        with translation.override(language):
            reply, ranking, outcome = self._reply(question, language, topic, signed_in)
            if not _is_safe(reply):
                # Admin-written text asked for a secret or a transfer: never send it.
                reply = _not_found(signed_in, "unsafe_answer")
                outcome = Outcome.HANDED_OFF
        exchange = log_exchange(
            question=question,
            language=language,
            outcome=outcome,
            reason=reply.reason,
            ranking=ranking,
            offered=reply.keys,
            conversation=conversation,
        )
        return reply.with_exchange(exchange.pk)

    def _reply(
        self, question: str, language: str, topic: Topic | None, signed_in: bool
    ) -> tuple[BotReply, Ranking | None, str]:
        if (topic is not None and topic.urgent) or sounds_urgent(question):
            text = _("This is urgent: a person from our security team will take over now.")
            return (
                _with_freeze_offer(_hand_off(text, "urgent", signed_in)),
                None,
                Outcome.HANDED_OFF,
            )
        if asks_for_a_person(question):
            text = _("Connecting you with a person.")
            reply = _with_notices(_hand_off(text, "asked", signed_in), question, [], language)
            return reply, None, Outcome.HANDED_OFF
        checks = trust.checks_asked_in_chat(question)
        if checks:  # "is @tidewell_help real?": the registry answers, not the matcher
            return _verdicts(checks), None, Outcome.VERIFIED
        ranking = knowledge.current_matcher().rank(question, limit=3)
        decision = policy.decide(ranking, policy.Thresholds.from_settings())
        best = ranking.best
        if decision.kind == policy.ANSWER and best and smalltalk.is_small_talk(best.key):
            return BotReply(SMALL_TALK, smalltalk.reply_for(best.key)), ranking, Outcome.SMALL_TALK
        offered = [c for c in decision.candidates if not smalltalk.is_small_talk(c.key)]
        if decision.kind == policy.OFF_TOPIC or (decision.kind != policy.HAND_OFF and not offered):
            return BotReply(SMALL_TALK, smalltalk.off_topic_reply()), ranking, Outcome.OFF_TOPIC
        answers = _answers(offered, language) if decision.kind != policy.HAND_OFF else []
        if not answers:  # not sure, or unpublished since the matcher was built
            leaning = [candidate.key for candidate in ranking.candidates[:2]]
            reply = _with_notices(
                _not_found(signed_in, "not_confident"), question, leaning, language
            )
            return reply, ranking, Outcome.HANDED_OFF
        if len(answers) == 1:
            text, links = answers[0][1]
            links = [link for link in links if link.url]  # an FAQ answer is the text itself
            kind, outcome = ANSWER, Outcome.ANSWERED
        else:
            text = _("Which of these is closest to your question?")
            links = [link for _, (_, found) in answers for link in found]
            kind, outcome = CHOOSE, Outcome.CHOICE
        keys = [key for key, _ in answers]
        reply = _with_notices(BotReply(kind, text, links, keys=keys), question, keys, language)
        return reply, ranking, outcome


def _with_freeze_offer(reply: BotReply) -> BotReply:
    """Theft or a withdrawal the customer did not make: freezing first stops the loss."""
    freeze = ArticleLink(
        _("Freeze my account now"),
        reverse("trust:freeze") + "?source=chat",
        _("Stops every sign-in, trade and withdrawal at once, until the security team lifts it."),
    )
    return replace(reply, links=[freeze, *reply.links])


def _verdicts(checks: list[trust.Check]) -> BotReply:
    verify_page = reverse("trust:verify")
    link = ArticleLink(_("Check any account, address or website"), verify_page, "")
    text = "\n".join(trust.describe_check(check) for check in checks)
    return BotReply(ANSWER, text, [link])


def _with_notices(reply: BotReply, question: str, keys: list[str], language: str) -> BotReply:
    """An active announcement about what was asked comes first, whatever the bot does next."""
    notices = incidents.notices_for(question, keys, language)
    if not notices:
        return reply
    return replace(
        reply,
        text=" ".join(notice.text for notice in notices) + "\n\n" + reply.text,
        links=[notice.link for notice in notices] + reply.links,
    )


def _not_found(signed_in: bool, reason: str) -> BotReply:
    text = _("I could not find an answer to that. Let me find a person for you.")
    return _hand_off(text, reason, signed_in)


def _hand_off(text: str, reason: str, signed_in: bool) -> BotReply:
    if not signed_in:
        return BotReply(
            SIGN_IN,
            _("Please sign in first, so that the person helping you can see your account."),
            reason=reason,
        )
    return BotReply(HAND_OFF, text, reason=reason)


def _answers(
    candidates: list[Candidate], language: str
) -> list[tuple[str, tuple[str, list[ArticleLink]]]]:
    """Each offered entry as the bot shows it: an article as a link with its summary, an
    FAQ entry as its answer in words."""
    slugs = [
        c.key.removeprefix(knowledge.ARTICLE)
        for c in candidates
        if c.key.startswith(knowledge.ARTICLE)
    ]
    faq_ids = [
        int(c.key.removeprefix(knowledge.FAQ))
        for c in candidates
        if c.key.startswith(knowledge.FAQ)
    ]
    articles = {
        article.slug: article
        for article in Article.objects.filter(slug__in=slugs, status=ArticleStatus.PUBLISHED)
    }
    faqs = {entry.pk: entry for entry in FaqEntry.objects.filter(pk__in=faq_ids, published=True)}
    shown = []
    for candidate in candidates:
        key = candidate.key
        if key.startswith(knowledge.ARTICLE) and (
            article := articles.get(key.removeprefix(knowledge.ARTICLE))
        ):
            link = ArticleLink(
                title=article.localized("title", language),
                url=reverse("helpcenter:article", kwargs={"slug": article.slug}),
                excerpt=article.localized("summary", language)[:300],
            )
            shown.append((key, (_("This should help:"), [link])))
        elif key.startswith(knowledge.FAQ) and (
            entry := faqs.get(int(key.removeprefix(knowledge.FAQ)))
        ):
            answer = " ".join(strip_tags(entry.answer(language)).split())
            shown.append((key, (answer, [ArticleLink(entry.question(language), "", answer[:300])])))
    return shown


def _is_safe(reply: BotReply) -> bool:
    texts = [
        reply.text,
        *(link.title for link in reply.links),
        *(link.excerpt for link in reply.links),
    ]
    return not any(safety.asks_for_secrets_or_transfers(text) for text in texts)
