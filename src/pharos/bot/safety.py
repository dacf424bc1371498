"""The bot never asks for a secret and never tells anyone to send funds anywhere.

The bot's own lines are ours, but its answers also carry text that admins write (FAQ
answers, article excerpts): every reply is checked here before it goes out, and an FAQ
answer that fails is refused when it is saved. The rule is the agent guard's
(`pharos.trust.guard`), the one that also checks what agents and canned replies send, so
the bot and people are held to the same line."""

from __future__ import annotations

from pharos.trust.guard import check_outgoing


def asks_for_secrets_or_transfers(text: str) -> bool:
    """True if the text asks for a password, seed phrase, private key, one-time code,
    remote access or a transfer of funds, outside a warning against it."""
    return check_outgoing(text).blocked
