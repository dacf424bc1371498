"""From a ranking to one of three outcomes: answer, ask the customer to choose between two
close answers, or hand off. The thresholds come from validation data (docs/bot.md) and
live in settings; the evaluation command and the chat use this same function."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .matcher import Candidate, Ranking

ANSWER = "answer"
CHOOSE = "choose"
HAND_OFF = "hand_off"
OFF_TOPIC = "off_topic"


@dataclass(frozen=True)
class Thresholds:
    answer: float  # the best entry's confidence needed to answer with it alone
    choice: float  # the two best entries' confidence together needed to offer both
    choice_second: float  # and the second's own, so a choice is never a filler
    off_topic_similarity: float  # an unsure question this far from everything is off topic

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            answer=settings.BOT_ANSWER_CONFIDENCE,
            choice=settings.BOT_CHOICE_CONFIDENCE,
            choice_second=settings.BOT_CHOICE_SECOND_CONFIDENCE,
            off_topic_similarity=settings.BOT_OFF_TOPIC_SIMILARITY,
        )


@dataclass(frozen=True)
class Decision:
    kind: str  # ANSWER, CHOOSE, HAND_OFF or OFF_TOPIC
    candidates: list[Candidate]  # what is offered: one for an answer, two for a choice


def decide(ranking: Ranking, thresholds: Thresholds) -> Decision:
    best = ranking.best
    if best is None:
        return Decision(OFF_TOPIC, [])
    if best.confidence >= thresholds.answer:
        return Decision(ANSWER, [best])
    if len(ranking.candidates) > 1:
        second = ranking.candidates[1]
        if (
            best.confidence + second.confidence >= thresholds.choice
            and second.confidence >= thresholds.choice_second
        ):
            return Decision(CHOOSE, [best, second])
    if ranking.similarity < thresholds.off_topic_similarity:
        return Decision(OFF_TOPIC, [])
    return Decision(HAND_OFF, [])
