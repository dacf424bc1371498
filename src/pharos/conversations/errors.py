"""What the conversation services refuse, with a message for the user."""

from __future__ import annotations


class ConversationError(Exception):
    """An action that cannot be done; the message says why, in the user's language."""


class ConversationNotFound(ConversationError):
    """No such conversation, or not one this person may see (the same answer for both)."""
