"""What an agent is told when the guard stops a message: for each reason, why support never
asks for it and what to do instead, in English and in Chinese (in that order)."""

from __future__ import annotations

EXPLANATIONS: dict[str, tuple[str, str]] = {
    "password": (
        "Support never asks for a customer's password, PIN or login details, not even to "
        "look into their account. If they cannot sign in, point them to 'Forgot password' "
        "on the sign-in page so they reset it themselves.",
        "客服绝不索要客户的密码、资金密码或登录信息，查看账户问题也不需要。"
        "客户无法登录时，请引导其在登录页点击「忘记密码」自行重置。",
    ),
    "seed_phrase": (
        "Support never asks for a seed phrase (recovery phrase, mnemonic, the 12 or 24 "
        "words). Whoever has these words owns the wallet, and nothing we do needs them. "
        "Remind the customer to keep them offline and show them to no one.",
        "客服绝不索要助记词（恢复短语、那 12 或 24 个单词）。谁拿到助记词，谁就拥有这个钱包，"
        "我们的任何操作都用不到它。请提醒客户离线保存，不要给任何人看。",
    ),
    "private_key": (
        "Support never asks for a private key, a keystore file or an API secret. With any "
        "of them someone else can take the funds. Ask for a public address or a TxID "
        "instead.",
        "客服绝不索要私钥、Keystore 文件或 API 密钥，拿到其中任何一个都能转走资产。"
        "如需核实，请改为询问公开地址或交易哈希（TxID）。",
    ),
    "one_time_code": (
        "Support never asks for a verification code: 2FA or authenticator codes, SMS or "
        "email codes. The code is what proves it is the customer acting; they type it in "
        "the app or website themselves and tell no one.",
        "客服绝不索要验证码：谷歌验证码、短信验证码、邮箱验证码都不行。验证码证明操作的是客户本人，"
        "只能由客户自己在 App 或网页里输入，不能告诉任何人。",
    ),
    "remote_access": (
        "Support never takes control of a customer's device: no AnyDesk, TeamViewer, "
        "ToDesk or other remote-control apps, no screen sharing with control, no 'install "
        "this so I can help'. Guide them step by step in the chat instead.",
        "客服绝不远程控制客户的设备：不用 AnyDesk、TeamViewer、向日葵、ToDesk 等远程软件，"
        "不共享屏幕操作，也不让客户「装个软件我来帮你弄」。请改为在对话里一步步指导。",
    ),
    "transfer": (
        "Support never asks a customer to send funds anywhere: no 'safe account', no "
        "transfer 'to verify' or 'to unfreeze', no fee paid to an address. The only "
        "address we point to is the deposit address shown in their own account.",
        "客服绝不要求客户转账：没有「安全账户」，没有「转账验证」「解冻费」，也不会让客户向某个地址付费。"
        "我们唯一会提到的地址，是客户自己账户里显示的充币地址。",
    ),
}
