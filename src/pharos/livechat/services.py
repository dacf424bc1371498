"""Live chat's rules: starting a chat, the bot's turn, the customer's buttons (solved, not
solved, talk to a person, leave a message, end, rate), the hand-off to the team's queue,
agents accepting and ending chats, and the chat's state as the customer sees it.

Conversations change only through conversations.services; this module decides what the
chat does next. Sockets hear about every change from announce.py once it is committed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from pharos.accounts.models import Customer, Team, User
from pharos.bot import services as bot_records
from pharos.bot.models import Feedback
from pharos.conversations import services as conversations
from pharos.conversations.attachments import CleanFile
from pharos.conversations.models import Channel, Conversation, Message, Status, Topic
from pharos.exchange.gateway import ExchangeError, get_gateway
from pharos.trust import screening

from . import routing
from .bot import ANSWER, CHOOSE, HAND_OFF, SMALL_TALK, AnswerBot, BotReply
from .models import AgentPresence, Availability

# What the customer can press under a bot message, by the kind of answer.
BOT_BUTTONS = {
    ANSWER: ["solved", "not_solved", "person"],
    CHOOSE: ["solved", "not_solved", "person"],
    SMALL_TALK: ["person"],
    HAND_OFF: [],
}
# A guest's buttons: "not solved" asks them to sign in, so that a person can help.
GUEST_BUTTONS = {ANSWER: ["solved", "not_solved"], CHOOSE: ["solved", "not_solved"]}
CUSTOMER_ACTIONS = {"solved", "not_solved", "person", "end", "leave_message", "email_transcript"}


def answer_bot() -> AnswerBot:
    bot: AnswerBot = import_string(settings.CHAT_ANSWER_BOT)()
    return bot


def answer_guest(question: str, language: str, topic: Topic | None) -> tuple[str, BotReply]:
    """A guest's question to the bot, and the question as it may be shown back. A secret
    pasted into it is never read or logged: the guest is warned instead and sees the
    marker in its place (signed-in customers' messages are screened where they are
    stored)."""
    screened = screening.screen_customer_text(question)
    if screened.found:
        with translation.override(language):
            return screened.text, BotReply(SMALL_TALK, screening.secret_warning(screened.kinds))
    return question, answer_bot().reply(question, language, topic, signed_in=False)


# --- the customer -------------------------------------------------------------------------------
def start_chat(
    customer: Customer,
    topic: Topic,
    question: str,
    *,
    language: str,
    client_message_id: str | None = None,
) -> Conversation:
    """A signed-in customer picks a topic and writes: the bot answers at once (an urgent
    topic goes straight to a person). A chat the customer still has open continues."""
    ongoing = conversations.open_chat_of(customer)
    if ongoing is not None:
        customer_writes(ongoing, customer, question, client_message_id)
        return ongoing
    conversation, message = conversations.open_chat(
        customer, topic, question, language=language, client_message_id=client_message_id
    )
    _after_customer_message(conversation, message)
    conversation.refresh_from_db()
    return conversation


def customer_writes(
    conversation: Conversation, customer: Customer, body: str, client_message_id: str | None
) -> Message:
    """A message from the customer; while the bot has the chat, the bot answers it (a
    retried message was answered the first time)."""
    # Only the bot cares (it must not answer a retry twice); people read the one message.
    retried = (
        conversation.status == Status.BOT
        and bool(client_message_id)
        and conversation.messages.filter(client_message_id=client_message_id).exists()
    )
    message = conversations.post_customer_message(
        conversation, customer, body, client_message_id=client_message_id
    )
    if not retried:
        _after_customer_message(conversation, message)
    return message


def customer_sends_files(
    conversation: Conversation, customer: Customer, body: str, files: list[CleanFile]
) -> Message:
    """Screenshots or files (already checked) in the chat; the bot does not read them."""
    if conversation.channel != Channel.CHAT or not conversation.is_open:
        raise conversations.ConversationError(_("This chat has ended."))
    return conversations.post_customer_message(conversation, customer, body, files=files)


def agent_sends_files(
    conversation: Conversation, agent: User, body: str, files: list[CleanFile]
) -> Message:
    if conversation.channel != Channel.CHAT or not conversation.is_open:
        raise conversations.ConversationError(_("This chat has ended."))
    return conversations.post_agent_reply(
        conversation, agent, body, files=files, status_after=Status.ASSIGNED
    )


def customer_action(conversation: Conversation, customer: Customer, action: str) -> None:
    """One of the chat's buttons."""
    if conversation.customer_id != customer.pk:
        raise conversations.ConversationNotFound(conversation.reference)
    if action not in CUSTOMER_ACTIONS:
        raise conversations.ConversationError(_("That was not understood."))
    with translation.override(conversation.language):
        if action == "email_transcript":
            conversations.email_transcript(conversation, customer)
            return
        if not conversation.is_open:
            raise conversations.ConversationError(_("This chat has ended."))
        if action == "solved":
            if conversation.status != Status.BOT:
                raise conversations.ConversationError(_("This chat is already with a person."))
            bot_records.record_feedback(conversation, Feedback.SOLVED)
            conversations.post_bot_message(conversation, _("Glad that helped. Have a good day!"))
            conversations.close_by_customer(conversation, customer, solved_by_bot=True)
        elif action in {"not_solved", "person"}:
            if conversation.status == Status.BOT:
                bot_records.record_feedback(
                    conversation,
                    Feedback.NOT_SOLVED if action == "not_solved" else Feedback.HANDED_OFF,
                )
                conversations.post_bot_message(
                    conversation,
                    _("Sorry that did not help. Connecting you with a person.")
                    if action == "not_solved"
                    else _("Connecting you with a person."),
                )
                hand_off(conversation, "not solved" if action == "not_solved" else "asked")
        elif action == "end":
            conversations.close_by_customer(conversation, customer)
        elif action == "leave_message":
            conversations.leave_chat_as_ticket(conversation, customer)
    conversation.refresh_from_db()


def rate_chat(conversation: Conversation, customer: Customer, rating: Any, comment: Any) -> None:
    if not isinstance(rating, int) or isinstance(rating, bool):
        raise conversations.ConversationError(_("Choose a rating from 1 to 5."))
    conversations.rate(conversation, customer, rating, comment if isinstance(comment, str) else "")


def _after_customer_message(conversation: Conversation, message: Message) -> None:
    if conversation.status == Status.BOT:  # as the message's transaction left it
        bot_turn(conversation, message.body)


# --- the bot and the hand-off -------------------------------------------------------------------
def bot_turn(conversation: Conversation, question: str) -> BotReply:
    """The bot answers the customer's message, and hands the chat to a person when it
    cannot, when asked to, or when the problem is urgent."""
    reply = answer_bot().reply(
        question, conversation.language, conversation.topic, True, conversation=conversation
    )
    conversations.post_bot_message(
        conversation,
        reply.text,
        {
            "kind": reply.kind,
            "links": [asdict(link) for link in reply.links],
            "buttons": BOT_BUTTONS.get(reply.kind, []),
        },
    )
    if reply.kind == HAND_OFF:
        hand_off(conversation, reply.reason)
    return reply


def hand_off(conversation: Conversation, reason: str) -> Conversation:
    """The chat joins the people's queue: VIP customers ahead of others, urgent problems
    ahead of everyone and with the urgent topic's team (security). Routing follows once
    committed (announce.py)."""
    urgent_team = None
    if reason == "urgent":
        topic = conversation.topic
        if topic is None or not topic.urgent:
            topic = Topic.objects.filter(urgent=True).order_by("position").first()
        urgent_team = topic.default_team if topic else conversation.team
    return conversations.hand_off_to_people(
        conversation, reason, vip_tier=_vip_tier(conversation), urgent_team=urgent_team
    )


def _vip_tier(conversation: Conversation) -> int:
    if conversation.customer is None:
        return 0
    try:
        return get_gateway().get_account(conversation.customer.uid).vip_tier
    except ExchangeError:
        return 0  # the queue still works while the exchange does not answer


# --- agents -------------------------------------------------------------------------------------
def accept(conversation: Conversation, agent: User) -> Message:
    """The agent takes the chat: a chat routed to them, or one they pick from their team's
    queue. The customer is greeted by name, in their language."""
    if conversation.channel != Channel.CHAT or not conversation.is_open:
        raise conversations.ConversationError(_("This chat has ended."))
    if conversation.assignee_id not in {None, agent.pk}:
        raise conversations.ConversationError(_("Another agent has this chat."))
    name = agent.display_name or _("your support agent")
    with translation.override(conversation.language):
        greeting = _("Hello, this is %(name)s. I have read your messages and I am on it.") % {
            "name": name
        }
    return conversations.post_agent_reply(
        conversation, agent, greeting, status_after=Status.ASSIGNED
    )


def end_by_agent(conversation: Conversation, agent: User) -> Conversation:
    return conversations.change_status(conversation, Status.CLOSED, agent)


def seen(agent: User) -> None:
    """The agent's console is open (its socket says so every half minute)."""
    AgentPresence.objects.filter(agent=agent).update(last_seen_at=timezone.now())


def console_opened(agent: User) -> None:
    """A console of the agent connects: they are seen, and if they left themselves online
    the chats waiting for their teams are routed now (while no console was open they got
    none)."""
    seen(agent)
    if routing.presence_of(agent).availability == Availability.ONLINE:
        for team in Team.objects.filter(members__user=agent):
            routing.route_waiting_chats(team)


def console_closed(agent: User) -> None:
    """The console's socket closed: no new chats until a console is open again (another
    open console says so within half a minute)."""
    AgentPresence.objects.filter(agent=agent).update(last_seen_at=None)


# --- what the customer sees ---------------------------------------------------------------------
def chat_state(
    conversation: Conversation, places: dict[int, routing.QueuePlace] | None = None
) -> dict[str, Any]:
    """The chat's state for its sockets: who has it, and for a waiting chat its place in
    the queue, the estimated wait and whether leaving a message is offered. `places`:
    the team's queue, when already worked out."""
    state: dict[str, Any] = {
        "type": "chat.state",
        "reference": conversation.reference,
        "status": conversation.status,
        "channel": conversation.channel,
        "agent": "",
        "accepted": conversation.first_response_at is not None,
        "position": None,
        "wait_seconds": None,
        "agents_online": None,
        "can_leave_message": False,
        "rated": conversation.rating is not None,
    }
    if conversation.assignee_id and conversation.is_open:
        assignee = User.objects.filter(pk=conversation.assignee_id).first()
        state["agent"] = (assignee.display_name if assignee else "") or _("your support agent")
    if conversation.channel == Channel.CHAT and conversation.status == Status.QUEUED:
        place = (
            places.get(conversation.pk) if places is not None else routing.queue_place(conversation)
        )
        if place is not None:
            state["position"] = place.position
            state["wait_seconds"] = place.estimated_wait_seconds
            state["agents_online"] = place.agents_online
            state["can_leave_message"] = (
                place.estimated_wait_seconds is None
                or place.estimated_wait_seconds >= settings.CHAT_LONG_WAIT_SECONDS
            )
    return state
