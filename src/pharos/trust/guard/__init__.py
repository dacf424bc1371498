"""The agent guard: does an outgoing message ask the customer for something real support
never asks for?

Real support never asks for a password, a seed phrase, a private key, a one-time code
(2FA, authenticator, SMS or email), remote access to the customer's device, or a transfer
of funds to an address or account that is not the customer's own. Agents' replies, canned
replies and the bot's answers are checked here before they are sent; a message that asks
for one of these is blocked, with the reasons and the clause that triggered.

Mentioning these things is fine and common: warnings ("we will never ask for your
password"), what the customer does alone ("enter the code from your authenticator in the
app"), questions about what happened ("did you receive the SMS code?"), the customer's
own deposit address. So a message is blocked only when a clause joins a *request directed
at the customer* (send, tell, read me, what is your, 发给我, 我需要你的) to a *secret*, named
or paraphrased ("the 6 digits your Google app shows", "手机上收到的那串数字"), or asks them to
let us into their device, or to move funds somewhere that is not theirs. A negation or a
warning governs a request only when it comes before it in the same part of the sentence
("never send your password" passes, "don't worry, just send me your password" does not).

Text is folded before matching (NFKC, lower case, simplified Chinese, invisible characters
removed, look-alike letters, spaced-out letters and leetspeak undone). Pure Python with
precompiled patterns and no Django: most messages never reach the detailed checks.

`verdict.check_outgoing` folds the text (`folding`), splits it into clauses and parts and
sets aside warnings, quoted examples and questions about what happened (`clauses`), finds
the secrets and remote access each clause names (`mentions`, behind a keyword prefilter),
and decides whether the clause asks for them (`asking`, with the wording of requests in
`cues`) or for a transfer (`transfers`). `explanations` holds what the agent is told.
"""

from __future__ import annotations

from .explanations import EXPLANATIONS
from .verdict import PASSED, REASONS, GuardVerdict, check_outgoing

__all__ = ["EXPLANATIONS", "PASSED", "REASONS", "GuardVerdict", "check_outgoing"]
