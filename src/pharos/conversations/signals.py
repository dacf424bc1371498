"""What other apps may react to, sent only once the change is committed (a rolled-back
message was never there). The live chat uses them to tell open sockets and consoles."""

from __future__ import annotations

from django.dispatch import Signal

# message: Message, attachments: list[Attachment]
message_stored = Signal()
# conversation: Conversation (as it was saved), changes: frozenset of what changed
# ("status", "assignee", "team", "priority", "channel", "first_response")
conversation_changed = Signal()
