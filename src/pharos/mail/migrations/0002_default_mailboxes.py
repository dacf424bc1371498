"""The three mailboxes every installation starts with, at the addresses in settings
(PHAROS_MAILBOX_SUPPORT, …); admins change them in the admin site."""

from django.conf import settings
from django.db import migrations

MAILBOXES = [
    # purpose, team, English, Chinese
    (
        "support",
        "general-support",
        "Questions about your account, deposits, withdrawals and trading.",
        "账户、充提币和交易相关的问题。",
    ),
    (
        "security",
        "security",
        "Theft, password and 2FA problems, suspicious activity, unlock appeals with documents.",
        "账户被盗、密码与双重验证问题、可疑活动，以及附带证明材料的解锁申诉。",
    ),
    (
        "feedback",
        "complaints-feedback",
        "Complaints about our service and suggestions for the product.",
        "对服务的投诉和对产品的建议。",
    ),
]


def create(apps, schema_editor):
    Mailbox = apps.get_model("mail", "Mailbox")
    Team = apps.get_model("accounts", "Team")
    addresses = settings.PHAROS_BRAND["mailboxes"]
    for position, (purpose, team, english, chinese) in enumerate(MAILBOXES):
        Mailbox.objects.get_or_create(
            address=addresses[purpose].lower(),
            defaults={
                "purpose": purpose,
                "team": Team.objects.get(slug=team),
                "description_en": english,
                "description_zh_hans": chinese,
                "position": (position + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
        ("conversations", "0002_teams_and_topics"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
