"""The teams and topics every installation starts with (admins can rename or add)."""

from django.db import migrations

TEAMS = [
    ("general-support", "General support", "综合客服"),
    ("security", "Security", "安全团队"),
    ("complaints-feedback", "Complaints & feedback", "投诉与建议"),
    ("vip-account-managers", "VIP account managers", "VIP 客户经理"),
]

TOPICS = [
    # slug, English, Chinese, default team, urgent
    ("getting-started", "Getting started", "新手入门", "general-support", False),
    ("trading-rules", "Trading rules", "交易规则", "general-support", False),
    ("account-security", "Account security", "账户安全", "security", False),
    ("deposits-withdrawals", "Deposits & withdrawals", "充币与提币", "general-support", False),
    ("api", "API", "API", "general-support", False),
    ("account-locked", "Account locked", "账户被锁定", "security", False),
    ("suspected-theft", "Suspected theft", "疑似被盗", "security", True),
    ("complaint", "Complaint", "投诉", "complaints-feedback", False),
    ("suggestion", "Suggestion", "建议", "complaints-feedback", False),
    ("other", "Something else", "其他问题", "general-support", False),
]


def create(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    Topic = apps.get_model("conversations", "Topic")
    teams = {}
    for slug, english, chinese in TEAMS:
        teams[slug], _ = Team.objects.get_or_create(
            slug=slug, defaults={"name_en": english, "name_zh_hans": chinese}
        )
    for position, (slug, english, chinese, team, urgent) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": english,
                "name_zh_hans": chinese,
                "default_team": teams[team],
                "urgent": urgent,
                "position": (position + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
        ("accounts", "0002_teams"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
