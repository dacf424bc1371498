"""Service-level targets every installation starts with (admins adjust them)."""

from django.db import migrations

# priority (None: any), first response minutes, resolution minutes
DEFAULTS = [(None, 240, 1440), (1, 1440, 4320), (2, 240, 1440), (3, 60, 720), (4, 15, 240)]


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("conversations", "SlaPolicy")
    Topic = apps.get_model("conversations", "Topic")
    for priority, first_response, resolution in DEFAULTS:
        SlaPolicy.objects.get_or_create(
            topic=None,
            priority=priority,
            defaults={"first_response_minutes": first_response, "resolution_minutes": resolution},
        )
    theft = Topic.objects.filter(slug="suspected-theft").first()
    if theft:
        SlaPolicy.objects.get_or_create(
            topic=theft, priority=None,
            defaults={"first_response_minutes": 10, "resolution_minutes": 120},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("conversations", "0004_sla")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
