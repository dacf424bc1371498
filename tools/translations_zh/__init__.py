"""Simplified Chinese for every message in the interface, applied to the .po catalogue
by tools/compile_translations.py. Kept as data so a reviewer sees each pair at once.

One module per app under src/pharos/, holding the messages that app's code marks for
translation (as makemessages finds them); core also holds the messages more than one app
uses. A new message goes into the module of the app that shows it."""

from . import (
    accounts,
    bot,
    conversations,
    core,
    exchange,
    helpcenter,
    livechat,
    mail,
    trust,
)

ZH_HANS = {
    **accounts.ZH_HANS,
    **bot.ZH_HANS,
    **conversations.ZH_HANS,
    **core.ZH_HANS,
    **exchange.ZH_HANS,
    **helpcenter.ZH_HANS,
    **livechat.ZH_HANS,
    **mail.ZH_HANS,
    **trust.ZH_HANS,
}
