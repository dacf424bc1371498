"""Card numbers of every network, grouped or not, labelled or not, full-width."""

from __future__ import annotations

from .generated import Case, card, full_width, grouped

CARD_NUMBER_CASES = [
    Case(
        f"I bought USDT with card {grouped(card('4', 16, 1))} but nothing arrived",
        ("card_number",),
        (grouped(card("4", 16, 1)),),
    ),
    Case(f"{card('5', 16, 2)} was charged twice", ("card_number",), (card("5", 16, 2),)),
    Case(
        f"卡号 {grouped(card('62', 19, 3), (4, 4, 4, 4))} 扣款了但是没到账",
        ("card_number",),
        (grouped(card("62", 19, 3), (4, 4, 4, 4)),),
    ),
    Case(
        f"Amex {grouped(card('37', 15, 4), (4, 6, 5))}, refund please",
        ("card_number",),
        (grouped(card("37", 15, 4), (4, 6, 5)),),
    ),
    Case(
        f"my visa is {grouped(card('4', 16, 5), separator='-')}",
        ("card_number",),
        (grouped(card("4", 16, 5), separator="-"),),
    ),
    Case(
        f"银行卡号：{card('62', 19, 6)}，充值失败",
        ("card_number",),
        (card("62", 19, 6),),
    ),
    Case(f"Mastercard {card('2221', 16, 7)} declined", ("card_number",), (card("2221", 16, 7),)),
    Case(
        f"信用卡 {grouped(card('3530', 16, 8))} 被拒绝了",
        ("card_number",),
        (grouped(card("3530", 16, 8)),),
    ),
    Case(f"Card: {card('6011', 16, 9)} exp 08/27", ("card_number",), (card("6011", 16, 9),)),
    Case(
        f"debit card {grouped(card('4', 13, 10), (4, 4, 5))} - is it supported?",
        ("card_number",),
        (grouped(card("4", 13, 10), (4, 4, 5)),),
    ),
    Case(
        f"The payment page took {grouped(card('5', 16, 11))} and then failed",
        ("card_number",),
        (grouped(card("5", 16, 11)),),
    ),
    Case(f"用这张卡 {card('4', 16, 12)} 买的币", ("card_number",), (card("4", 16, 12),)),
    Case(
        f"{full_width(grouped(card('4', 16, 13)))} 这张卡可以绑定吗",
        ("card_number",),
        (full_width(grouped(card("4", 16, 13))),),
    ),
]
