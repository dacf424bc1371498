"""The official channels every installation starts with, from the brand settings
(PHAROS_OFFICIAL_DOMAINS, the mailboxes, PHAROS_TELEGRAM / _X / _FACEBOOK); admins keep
the registry in the admin site from then on."""

from django.conf import settings
from django.db import migrations

DESCRIPTIONS = {
    # kind: (English, Chinese)
    "domain": ("Our website and help center", "官方网站与帮助中心"),
    "support": ("Support mailbox", "客服邮箱"),
    "security": ("Security team mailbox", "安全团队邮箱"),
    "feedback": ("Complaints and suggestions mailbox", "投诉与建议邮箱"),
    "telegram": ("Official Telegram channel", "官方 Telegram 频道"),
    "x": ("Official X account", "官方 X 账号"),
    "facebook": ("Official Facebook page", "官方 Facebook 主页"),
}


def create(apps, schema_editor):
    OfficialChannel = apps.get_model("trust", "OfficialChannel")
    brand = settings.PHAROS_BRAND
    values = [("domain", domain, "domain") for domain in brand["official_domains"]]
    values += [("email", address, purpose) for purpose, address in brand["mailboxes"].items()]
    values += [(kind, value, kind) for kind, value in brand["social"].items() if value]
    for position, (kind, value, described_as) in enumerate(values):
        english, chinese = DESCRIPTIONS[described_as]
        OfficialChannel.objects.get_or_create(
            kind=kind,
            value=value.strip(),
            defaults={
                "description_en": english,
                "description_zh_hans": chinese,
                "position": (position + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
