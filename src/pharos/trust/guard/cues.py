"""The wording of a request, in English and Chinese: the verbs that hand something over to
us ("send", "read me", "发给我") or that the customer also uses alone ("enter", "输入"), the
words before them that make them a request ("please", "could you", "I need"), what points
to us rather than to the app ("here", "in this chat", "on the link I sent"), placeholders
("send it to me"), the cues of remote access, and the verbs that move funds."""

from __future__ import annotations

from .folding import pattern

# Mentions that are requests by themselves ("let me log in to your account", "what does
# your authenticator show").
ASKING_BY_ITSELF = pattern(
    r"(?:let |allow |what |which |(?:i|we) (?:need|have|want) to |i can |i'll |i will |we'll "
    r"|we will )"
)
# "Your password, please."
PLEASE_AFTER = pattern(r",? ?(?:(?:now|quickly|asap|again),? )?(?:please|pls|plz)\b")
LIST_GLUE = pattern(
    r"[\s,、/&+]*(?:(?:and|or|plus|also|as well as|along with|together with"
    r"|和|以及|还有|及|或者?|跟|与)[\s,、]*)?(?:(?:your|ur|the|all|both|full|current|你的|您的|的)\s*)*"
)
ONLY_DETERMINERS = pattern(r"(?:(?:ok|okay|and|now|so|also|your|ur|the|full|current) )*")


# Verbs that hand something over to us, and the words before them that make them a request.
_GIVE_EN = (
    r"send(?: over| across| back)?|give|tell|share|provide|forward"
    r"|(?:dm|pm|message|text|whatsapp|telegram|email|e-mail|mail|ping) (?:me|us)"
    r"|reply(?: back)?(?: with)?|respond(?: with)?|answer with"
    r"|read (?:me|us|out|aloud|back|off|it out|them out)|dictate|spell(?: out)?|recite|say|repeat"
    r"|let (?:me|us) (?:know|have|see|check|verify|confirm|get)|hand(?: over)?"
    r"|pass(?: on| along| over)?"
    r"|disclose|reveal|submit|upload|attach|show (?:me|us)|screenshot|snap|photograph|write back"
    r"|sending|giving|telling|sharing|providing|reading|typing"
)
# Verbs the customer also uses alone ("enter the code in the app"): a request only when they
# point here ("type it in this chat", "on the link I sent").
_PUT_EN = (
    r"write|put|insert|input|enter|type(?: in| out)?|key in|fill in|paste|copy|confirm|verify"
    r"|validate|sync|import|connect|check|leave|show|read|note|post|drop"
)
VERB_CUE_EN = pattern(
    rf"\b(?:(?P<give>{_GIVE_EN})|(?P<put>{_PUT_EN}))\b(?! (?:you|the customer)\b)"
)
_LEAD_EN = pattern(
    r"(?:^[\s\-*•·>]*|\b(?:please|pls|plz|kindly|just|now|then|and|also|so|first|quickly|simply|immediately"
    r"|go ahead and|ok|okay|sure|alright|right|great|thanks|thank you|perfect|good|hi|hello|hey"
    r"|sir|madam|can you|could you|would you|will you|can u|could u|would u|mind|how about"
    r"|what about|appreciate(?: it)?(?: if you (?:could|would|can))?"
    r"|if you (?:can|could|would|will)"
    r"|unless you|until you|you(?:'ll| will)? need to|you have to|you must|you should"
    r"|you(?:'d| had) better|you are (?:required|asked|requested|supposed) to|you can|you could"
    r"|you may|you might want to|feel free to|(?:i|we)(?:'d| would) like you to"
    r"|(?:i|we) (?:need|want|require|ask|urge|advise|request) you to|need you to|want you to"
    r"|ask you to|(?:i'm|i am|we're|we are) asking you to|try to|remember to"
    r"|make sure (?:to|you)|be sure to|help (?:me|us)(?: by)?|let's|time to|required to"
    r"|necessary to|have to|has to|need to|needs to|must|should|is to|are to|got to|gotta"
    r"|ready to|able to|(?:make|do|send|complete|initiate) (?:a|an|the)(?: small| test| quick)?"
    r"|(?:must|need to|needs to|has to|have to|should|will need to|is to|are to) be))"
    r"[\s,!.]*$"
)
NEED_EN = pattern(
    r"\b(?:(?:i|we)(?:'ll| will| would|'d| do| just| really| still| urgently| first| also| now"
    r"| only| actually| definitely)* (?:need|require|want|must have|must see|must check"
    r"|must verify|must confirm|must know|have to see|have to check|have to verify|have to know"
    r"|would like|'d like)(?: to (?:see|know|have|get|check|verify|confirm|validate|record"
    r"|collect|sync|note|take|test|receive))?"
    r"|(?:may|can|could) (?:i|we) (?:have|get|see|know|ask for|check|verify|confirm|take|receive)"
    r"|(?:i|we)(?:'m| am|'re| are)? (?:asking|requesting|ask|request)(?: you)? for"
    r"|(?:i'm|i am|we're|we are) (?:going to|gonna) need)\b"
    r"|^need(?: to (?:see|know|have|get|check|verify|confirm))?\b"
)
QUESTION_EN = pattern(
    r"\b(?:what(?:'s| is| are| was| were|s)?|which is|tell me what)"
    r"(?= (?:your|ur|the|those|these|that)\b)"
)
WITHOUT_EN = pattern(
    r"\b(?:i|we) (?:can't|cannot|can not|won't be able to|am unable to|are unable to|couldn't"
    r"|could not|won't|will not) (?:\S+ ){0,8}?without\b"
)
_HERE_EN = (
    r"\bhere\b|\bbelow\b(?! the\b)|\b(?:in|into|to|on) (?:the |this |our |my )?(?:chat|chatbox"
    r"|chat box|chat window|conversation|reply|message|thread|ticket|dm|dms|comments?|messenger)\b"
    r"|\bin your (?:reply|next message|response|answer)\b|\b(?:to|for|with) (?:me|us)\b"
    r"|\b(?:on|in|at|via|through|into|using|to) (?:this|the following|my|the attached|that)"
    r" (?:link|form|google form|url|dapp|bot|portal|site|website|page|tool)\b"
    r"|\b(?:on|in|at|via|through|into|using|to) (?:the|our) (?:link|form|google form|url|dapp|bot"
    r"|portal)\b"
    r"|\b(?:validation|verification|sync|synchroni[sz]ation|recovery|restore|connect"
    r"|rectification|migration|airdrop|claim|wallet ?connect)"
    r" (?:page|portal|site|website|form|tool|link|dapp|bot)\b"
)
_HERE = pattern(
    _HERE_EN + r"|这里|此处|这儿|聊天(?:框|窗口|窗|里|中)|对话框|会话|评论区|私信|链接|表单"
    r"|(?:下方|下面)的?(?:输入框|对话框|链接|表单|回复框)"
    r"|(?:这个|以下|我发的|我给的|下面的?|该|此)(?:网页|网站|页面|网址|小程序)|回复|发给?我|给我|给客服"
)
# "type it into the app, not into this chat"
_NOT_THERE = pattern(r"(?:\bnot|\bnever|不要|别|勿)\s?\S*\s?$")
YOUR = pattern(r"\b(?:your|ur)\b")
GOING_ON = pattern(r"(?:and|also|now|then|plus|ok|okay) ")  # "and the sms code?"
_WEBSITE = pattern(
    r"https?://|www\.|\b[a-z0-9-]+\.(?:com|io|net|org|xyz|app|top|site|online|info|vip|cc|me|live"
    r"|pro|link)\b"
)
# Between a request and its object: words that show the object is something else
# ("send me a screenshot after you reset your password").
WINDOW_BREAK_EN = pattern(
    r"\b(?:if|when|whenever|once|after|before|while|until|unless|because|since|so|then|but"
    r"|whether|where|why|how|about|regarding|reset|resets|resetting|change|changed|changing"
    r"|changes|update|updated|updating|set|setting|enable|enabled|disable|disabled|bind|unbind"
    r"|forgot|forget|forgotten|lost|lose|recover|recovered|turn|turned|receive|receives|received"
    r"|arrive|arrives|arrived|error|issue|problem|page|instead|without|rather|remember|protect"
    r"|store|keep|save|saved|use|used|using|request|requested|my)\b"
)

# Handing over to someone other than us ("告诉别人", "念给你", "交给它") is not our request.
_NOT_TO_US_ZH = r"(?!(?:你|您|它|他|她)(?!的)|别人|他人|任何人|陌生人|其他人)"
_GIVE_ZH = (
    r"(?:发给|发送给|传给|告诉|告知|提供给?|报给|念给|读给|说给|交给|讲给|拍给|截图给|透露给?)"
    + _NOT_TO_US_ZH
    + r"|(?:发到|发送到)(?=我|这|此|客服)"
    + r"|发来|发过来|发一下|发下|发我|发个|传过来|报一下|报个|报下|报出|念一下|念出|读一下|读出"
    r"|说一下|说下|说出|给我|给一下|私信|私聊|回复|交出|上传|贴出|贴一下|截图发|拍照发|出示|复述"
    r"|发过去|截个图发|拍个照|发(?=(?:一下)?(?:你|您)的)"
)
_PUT_ZH = (
    r"发送(?!给|到)|输入|填写|填入|填到|填一下|键入|粘贴|复制到|核对|验证(?![码器])|确认|导入|同步"
    r"|写在|写到|打在|留下"
)
VERB_CUE_ZH = pattern(f"(?P<give>{_GIVE_ZH})|(?P<put>{_PUT_ZH})")
NEED_ZH = pattern(
    r"(?:(?<![问找跟向让叫])(?:我|我们|客服|这边|本人|咱们)(?:这边|现在|还|先|就|必须|得|一定|也)*"
    r"(?:需要|要|得|必须|想要|要求|需)(?:一下|先|您|你|再)*"
    r"(?:获取|知道|核对|看看|看一下|确认|验证|核实|拿到|查看|了解|记录|收集)?(?:一下)?"
    r"|(?:需要|要求|要|需)(?:你|您)(?=的))(?:你|您)?的?$"
)
QUESTION_AFTER_ZH = pattern(r"(?:是多少|多少|是几|发来看看)|(?P<what>是什么|是啥)")
YOUR_ZH = pattern(r"(?:你|您)的?$")
WINDOW_BREAK_ZH = pattern(
    r"如果|但|是否|有没有|成功|失败|错误|页面|截图(?![发给])|照片|记录|结果|时间|订单|uid|邮箱地址|手机号"
)


# Placeholders for something named just before ("we sent a code to your phone, send it to
# me") or just after ("send the following: ...").
PLACEHOLDER_EN = pattern(
    rf"\b(?:(?P<give>{_GIVE_EN})|(?P<put>{_PUT_EN}))(?: (?:me|us|back|over))?"
    r" (?P<what>it|them|that|those|these|this|both|the following|everything|all of (?:it|them)"
    r"|what (?:it|they|the app|your app|your phone|the sms|the message|the email)"
    r" (?:says|shows|displays)"
    r"|what you (?:got|received|see|have|wrote down)"
    r"|(?:the|your) (?:code|number|digits|numbers|words|phrase|key)"
    r"(?! (?:of|for|from) (?:the |your )?(?:error|order|withdrawal|deposit|trade|ticket)))\b"
    r"|\b(?P<question>what(?:'s| is| are| was| were) (?:it|they|that|those|these)|what does it"
    r" (?:say|show))\b"
)
PLACEHOLDER_FILLER_ZH = pattern(
    r"请|麻烦|你|您|就|直接|然后|再|也|一下|过来|给我|我们|我|吧|哦|了|收到|后|之后|以后|的话|看看|核对"
    r"|立即|马上|现在|赶紧|把|它|这个|那个|这串|那串|都|全部|一起|好|嗯|ok|啊|呀|哈|[\s,.!?~]"
)

# Remote access: what the customer is asked to do with a tool ("install", "下载"), or that we
# will do it ("let me", "我来").
REMOTE_CUE = pattern(
    r"\b(?:install|download|open|run|launch|start|use|accept|allow|approve|enable|grant|give|let"
    r"|join|connect|set up|get|click|tap|turn on|share)\b"
)
FIRST_PERSON = pattern(
    r"\b(?:i|we|let me|let us|allow me|allow us|for me|me to|us to)\b(?:'ll|'d|'m|'re)?"
)
REMOTE_CUE_ZH = pattern(
    r"下载|安装|装一下|装个|打开|开启|开一下|同意|接受|允许|点击|点一下|连接|启动|使用|用一下"
    r"|我(?:来|帮|给|替|可以|会|需要|要|这边)|让我|需要|麻烦|配合|发给我|发我|告诉我|请"
)

# Verbs that move funds (the rest of a transfer request is in transfers.py; clauses.py needs
# these too, to tell a quoted request from a quoted word).
TRANSFER_EN = pattern(
    r"\b(?:(?P<base>transfer|send|move|deposit|withdraw|wire|pay|remit|put|relocate|migrate|shift"
    r"|top up|sweep|park|store)|(?P<done>transferred|sent|moved|deposited|withdrawn|wired|paid"
    r"|relocated|migrated|shifted))\b"
)
TRANSFER_ZH = pattern(
    r"(?P<there>(?:转|打|存|充|汇|放)(?:过去|进去))"
    r"|(?<!划)(?:转账|转入|转到|转至|转进|转给|转移|转出|转(?=\s?[\d一二三四五六七八九十几半]))|打币|打款|打钱"
    r"|打到|打给|打入|打进|充到|充入|充进|充值到|汇款|汇到|汇入|汇给|提币到|提现到|存入|存到|存进"
    r"|发送到|付款|支付(?!宝|密码)|缴纳|交纳|缴费|放到|放进|移到|挪到|搬到|充值|充币"
)


def led(text_before: str) -> bool:
    """Whether a verb after this text is said to the customer ("please send", "could you
    send", "you need to send"), not about someone ("we will send", "the system sends")."""
    return bool(_LEAD_EN.search(text_before[-60:]))


def points_here(text_after: str, reason: str) -> bool:
    """Whether "enter"/"type"/"输入" points to us ("here", "in this chat", "on the link I
    sent") rather than to the app."""
    for match in _HERE.finditer(text_after):
        if not _NOT_THERE.search(text_after, 0, match.start()):
            return True
    return reason in {"seed_phrase", "private_key"} and bool(_WEBSITE.search(text_after))
