"""Private keys (64 hex digits labelled as a key, WIF and extended keys, a labelled Solana
key) and exchange API secrets, labelled in English or Chinese, in prose or config."""

from __future__ import annotations

from .generated import API_KEYS, KEYS, SECRETS, TX, Case, api_token, extended_key, hex_digits, wif

PRIVATE_KEY_CASES = [
    Case(f"my private key is {KEYS[0]}", ("private_key",), (KEYS[0],)),
    Case(f"Private Key: 0x{KEYS[1]} can you import it for me", ("private_key",), (KEYS[1],)),
    Case(f"私钥 {KEYS[2]} 钱包被盗了", ("private_key",), (KEYS[2],)),
    Case(f"这是我的私钥：0x{KEYS[3]}，帮我看看资产去哪了", ("private_key",), (KEYS[3],)),
    Case(
        f"{KEYS[4]} <- this is the private key of the wallet I deposited from",
        ("private_key",),
        (KEYS[4],),
    ),
    Case(f"priv key={KEYS[5]}", ("private_key",), (KEYS[5],)),
    Case(f"secret key: {KEYS[6]}", ("private_key",), (KEYS[6],)),
    Case(
        f"txid {TX[0]} and the key that signed it, private key {KEYS[7]}",
        ("private_key",),
        (KEYS[7],),
    ),
    Case(f"WIF {wif(1)} from my old paper wallet", ("private_key",), (wif(1),)),
    Case(f"{wif(2, compressed=False)}", ("private_key",), (wif(2, compressed=False),)),
    Case(
        f"Electrum export gave me {wif(3)} is it safe to send here?",
        ("private_key",),
        (wif(3),),
    ),
    Case(f"导出的私钥是 {wif(4, compressed=False)}", ("private_key",), (wif(4, compressed=False),)),
    Case(f"xprv: {extended_key(1, 'xprv')}", ("private_key",), (extended_key(1, "xprv"),)),
    Case(
        f"My account extended key {extended_key(2, 'zprv')} shows zero balance",
        ("private_key",),
        (extended_key(2, "zprv"),),
    ),
    Case(
        f"{extended_key(3, 'yprv')}\nwhy doesn't it work on your site",
        ("private_key",),
        (extended_key(3, "yprv"),),
    ),
    Case(f"testnet {extended_key(4, 'tprv')}", ("private_key",), (extended_key(4, "tprv"),)),
    Case(
        f"扩展私钥 {extended_key(5, 'xprv')[:60] + 'Q' + extended_key(5, 'xprv')[61:]}",
        ("private_key",),
        (extended_key(5, "xprv")[:60], extended_key(5, "xprv")[61:]),
    ),
    Case(
        f"Solana private key: {'5' + api_token(901, 87)}",
        ("private_key",),
        ("5" + api_token(901, 87),),
    ),
    Case(f"私鑰：{KEYS[8]}", ("private_key",), (KEYS[8],)),
    Case(
        f"I never shared my private key, here it is to prove it: {KEYS[9].upper()}",
        ("private_key",),
        (KEYS[9].upper(),),
    ),
]

API_SECRET_CASES = [
    Case(
        f"API Key: {API_KEYS[0]}\nSecret Key: {SECRETS[0]}\nthe bot stopped trading",
        ("api_secret",),
        (SECRETS[0],),
    ),
    Case(f"api secret = {SECRETS[1]}", ("api_secret",), (SECRETS[1],)),
    Case(
        f'my config: {{"apiKey": "{API_KEYS[1]}", "secretKey": "{SECRETS[2]}"}}',
        ("api_secret",),
        (SECRETS[2],),
    ),
    Case(f"secretKey={SECRETS[3]}&recvWindow=5000", ("api_secret",), (SECRETS[3],)),
    Case(f"API 密钥：{SECRETS[4]}", ("api_secret",), (SECRETS[4],)),
    Case(f"我的 API 密钥是 {SECRETS[5][:32]} 为什么下单报错", ("api_secret",), (SECRETS[5][:32],)),
    Case(f"密钥: {hex_digits(950, 32).upper()}", ("api_secret",), (hex_digits(950, 32).upper(),)),
    Case(
        f"The secret for my grid bot is {SECRETS[6][:40]}, please check the permissions",
        ("api_secret",),
        (SECRETS[6][:40],),
    ),
    Case(f"API_SECRET='{SECRETS[7]}'", ("api_secret",), (SECRETS[7],)),
    Case(
        f"client secret: {SECRETS[8][:24]}-{SECRETS[8][24:36]}",
        ("api_secret",),
        (f"{SECRETS[8][:24]}-{SECRETS[8][24:36]}",),
    ),
    Case(f"api secret key is {SECRETS[9]}", ("api_secret",), (SECRETS[9],)),
    Case(
        f"秘钥 {SECRETS[10][:48]} 这个是不是泄露了，需要重新生成吗",
        ("api_secret",),
        (SECRETS[10][:48],),
    ),
]
