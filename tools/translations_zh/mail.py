"""Simplified Chinese for the messages that src/pharos/mail/ uses."""

ZH_HANS = {
    "Polling a real mailbox (IMAP over TLS)": "轮询真实邮箱（IMAP，TLS 加密）",
    "original email": "原始邮件",
    "Download (.eml)": "下载（.eml）",
    "Process again (failed or held emails)": "重新处理（失败或暂扣的邮件）",
    "Send again (failed or never sent)": "重新发送（发送失败或未发出的邮件）",
    "address": "地址",
    "purpose": "用途",
    "receives mail": "接收邮件",
    "IMAP server": "IMAP 服务器",
    "IMAP port (TLS)": "IMAP 端口（TLS）",
    "environment variable holding the IMAP password": "保存 IMAP 密码的环境变量",
    "For example PHAROS_IMAP_PASSWORD_SUPPORT.": "例如 PHAROS_IMAP_PASSWORD_SUPPORT。",
    "IMAP folder": "IMAP 文件夹",
    "mailboxes": "邮箱",
    "Received, not processed yet": "已接收，尚未处理",
    "Being processed": "正在处理",
    "Processed": "已处理",
    "Duplicate of a message already processed": "与已处理的邮件重复",
    "Not a conversation (bounce or automatic mail)": "不生成会话（退信或自动邮件）",
    "Held: the sender sent too much": "已暂扣：发件人发送过多",
    "Failed": "失败",
    "SMTP": "SMTP",
    "IMAP": "IMAP",
    "sent from": "来源地址",
    "Auto-reply, list mail or bounce.": "自动回复、邮件列表或退信。",
    "received email": "收到的邮件",
    "received emails": "收到的邮件",
    "Acknowledgement": "受理回执",
    "Sent": "已发送",
    "Write to the mailbox that fits your problem: it goes straight to the team that handles it,"
    " and you get a reference number at once.": "请发送到与您的问题对应的邮箱：邮件会直接交给负责的"
    "团队，您会立即收到一个工单编号。",
    "Is that email really from us?": "这封邮件真的是我们发的吗？",
    "Every email we send starts with your anti-phishing code. No code, or the wrong one: it is"
    " not from us.": "我们发出的每封邮件开头都有您的防钓鱼码。没有防钓鱼码或防钓鱼码不对，就不是我们发的。",
    "We only write from the addresses above, and our answers carry your reference number (PH-…)"
    " in the subject.": "我们只会使用以上地址发信，回复的主题中带有您的工单编号（PH-…）。",
    "Faster for most problems:": "大多数问题有更快的渠道：",
    "This address is not linked to a %(name)s account, so your anti-phishing code cannot be"
    " shown here.": "该邮箱地址未关联 %(name)s 账户，因此这里无法显示您的防钓鱼码。",
    "An agent will answer by %(due)s (UTC) at the latest.": "客服最迟将于 %(due)s（UTC）前回复您。",
    "To add details or documents, reply to this email and keep the reference number in the"
    " subject.": "如需补充信息或材料，请直接回复本邮件，并保留主题中的工单编号。",
    "You can also follow it in your requests:": "您也可以在“我的工单”中查看进度：",
    "We could not match your email address to a %(name)s account. Please reply with your UID,"
    " or sign in and open a request from your account:": "我们无法将您的邮箱地址与 %(name)s "
    "账户对应。请回复您的 UID，或登录后在账户中提交工单：",
    "Reply to this email to answer; keep the reference number in the subject.": "直接回复本邮件"
    "即可；请保留主题中的工单编号。",
    "On the contact page": "在联系我们页面显示",
    "%(count)d processed.": "已处理 %(count)d 封。",
    "%(count)d sent.": "已发送 %(count)d 封。",
    "General support": "综合客服",
    "Security: theft, password, 2FA, suspicious activity": "安全：被盗、密码、双重验证、可疑活动",
    "Complaints and suggestions": "投诉与建议",
    "what to write about (English)": "适用问题（英文）",
    "what to write about (Chinese)": "适用问题（中文）",
    "IMAP user": "IMAP 用户名",
    "mailbox": "邮箱",
    "customer's address": "用户的邮箱地址",
    "Pending": "待发送",
    "sent email": "已发邮件",
    "sent emails": "已发邮件",
    "which channel fits my problem?": "我的问题适合哪个渠道？",
    "We received your email. Its reference number is %(reference)s.": "我们已收到您的邮件，"
    "工单编号为 %(reference)s。",
    "%(name)s support": "%(name)s 客服",
    "Your message is with the agents of request %(reference)s, without the secret.": "您的消息已转给工单 %(reference)s 的客服，其中的机密信息已删除。",
    "Security warning (a secret was removed)": "安全提醒（已删除机密信息）",
}
