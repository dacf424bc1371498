"""The guard's verdict on one outgoing message: `check_outgoing` folds the text, splits it
into clauses and collects, clause by clause, the reasons it is blocked and the clause that
triggered first."""

from __future__ import annotations

from dataclasses import dataclass

from .asking import clause_reasons
from .clauses import blank_quoted_warnings, clause_spans, listed_under_a_warning
from .folding import canonical, fold
from .mentions import Message

REASONS = (
    "password",
    "seed_phrase",
    "private_key",
    "one_time_code",
    "remote_access",
    "transfer",
)


@dataclass(frozen=True)
class GuardVerdict:
    blocked: bool
    reasons: tuple[str, ...]  # from REASONS, in order found, no repeats
    excerpt: str  # the clause that triggered (for the admin's log), "" if passed


PASSED = GuardVerdict(False, (), "")
_EXCERPT_LENGTH = 300


def check_outgoing(text: str) -> GuardVerdict:
    """Whether a message written for a customer asks them for something real support never
    asks for. Never raises; linear in the length of the text."""
    if not text or text.isspace():
        return PASSED
    folded = blank_quoted_warnings(fold(text))
    spans = list(clause_spans(folded))
    listed = listed_under_a_warning(folded)
    message = Message(
        folded,
        clauses=[canonical(folded[start:end]) for start, end in spans],
        questions={index for index, (_, end) in enumerate(spans) if folded[end : end + 1] == "?"},
    )
    reasons: list[str] = []
    excerpt = ""
    for index in range(len(message.clauses)):
        if listed and listed(spans[index][0]):
            continue
        found = clause_reasons(message, index)
        if found and not excerpt:
            start, end = spans[index]
            excerpt = " ".join(text[start:end].split())[:_EXCERPT_LENGTH]
        reasons.extend(reason for reason in found if reason not in reasons)
    if not reasons:
        return PASSED
    return GuardVerdict(True, tuple(reasons), excerpt)
