"""What people say to a support bot that is not a support question, and what it says back.

These are entries of the bot's knowledge like any article (matched by their example
phrases, so "hi there, anyone?" counts as a greeting), but they are answered with a line,
never an article."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .matcher import Entry

PREFIX = "smalltalk:"

_EXAMPLES: dict[str, tuple[str, ...]] = {
    "greeting": (
        "hi", "hello", "hey", "hi there", "hello?", "good morning", "good evening",
        "anyone there?", "is anybody here", "hey support",
        "你好", "您好", "在吗", "在不在", "哈喽",
        "有人吗", "客服你好", "早上好", "晚上好", "hi 你好",
    ),
    "thanks": (
        "thanks", "thank you", "thx", "ok thanks", "thanks a lot", "great, thank you",
        "cheers", "appreciate it", "that's helpful thanks", "many thanks",
        "谢谢", "多谢", "感谢", "好的谢谢", "非常感谢",
        "谢谢你", "辛苦了", "谢了", "太感谢了", "好的，谢谢",
    ),
    "goodbye": (
        "bye", "goodbye", "see you", "that's all", "nothing else", "no that's it",
        "bye bye", "have a nice day", "that is all for now", "ok bye",
        "再见", "拜拜", "没事了", "没有了", "就这些",
        "没别的了", "好的再见", "先这样", "不用了", "没有其他问题了",
    ),
    "identity": (
        "are you a robot", "is this a bot", "am i talking to a real person", "are you human",
        "who are you", "are you ai", "is this automated", "are you a real agent",
        "你是机器人吗", "你是真人吗", "你是谁", "是人工吗",
        "你是AI吗", "这是自动回复吗", "你是客服吗", "是机器人在回复吗",
    ),
    "acknowledge": (
        "ok", "okay", "got it", "i see", "alright", "fine", "understood", "sure", "ok ok",
        "好的", "嗯", "知道了", "明白了", "行", "好吧", "了解", "收到", "哦哦",
    ),
    "frustrated": (
        "this is useless", "you are not helping", "stupid bot", "terrible service",
        "your support is awful", "this bot is useless", "you don't understand me",
        "没用", "垃圾客服", "你听不懂吗",
        "答非所问", "机器人太笨了", "什么破客服", "一点用都没有",
    ),
}  # fmt: skip


def entries() -> list[Entry]:
    return [Entry(PREFIX + name, examples) for name, examples in _EXAMPLES.items()]


def is_small_talk(key: str) -> bool:
    return key.startswith(PREFIX)


def reply_for(key: str) -> str:
    """The line for a small-talk entry, in the active language."""
    name = key.removeprefix(PREFIX)
    replies = {
        "greeting": _("Hello! Tell me what happened and I will look it up."),
        "thanks": _("You are welcome. Anything else?"),
        "goodbye": _("Goodbye, and safe trading. Write again any time."),
        "identity": _(
            "I am %(brand)s's support assistant, a bot. I answer from our help center, and a "
            "person takes over whenever you ask for one."
        )
        % {"brand": _brand()},
        "acknowledge": _("Is there anything else I can help with?"),
        "frustrated": _(
            "Sorry I have not been able to help. Ask for a person and one will take over."
        ),
    }
    return replies[name]


def off_topic_reply() -> str:
    return _(
        "I am not sure I can help with that. I answer questions about your %(brand)s account, "
        "deposits and withdrawals, trading, security and our API: try asking another way, or "
        "ask for a person."
    ) % {"brand": _brand()}


def _brand() -> str:
    brand = settings.PHAROS_BRAND
    return str(brand["name_zh"] if get_language() == "zh-hans" else brand["name"])
