"""Topics and SLA policies: read for every new conversation, changed a few times a year.
Each process keeps them in the cache for a minute; saving one drops them at once where
the cache is shared (Redis) and in the saving process otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from pharos.accounts.models import Team

from .models import SlaPolicy, Topic

CACHE_SECONDS = 60
TOPICS_KEY = "conversations:topics"
POLICIES_KEY = "conversations:sla-policies"


@dataclass(frozen=True)
class PolicyTargets:
    topic_id: int | None
    priority: int | None
    first_response_minutes: int
    resolution_minutes: int


def topic_by_slug(slug: str) -> Topic | None:
    """The topic with its default team loaded."""
    return _topics_by_slug().get(slug)


def topics() -> list[Topic]:
    """Every topic, in the order customers see them."""
    return sorted(_topics_by_slug().values(), key=lambda topic: (topic.position, topic.pk))


def _topics_by_slug() -> dict[str, Topic]:
    found: dict[str, Topic] | None = cache.get(TOPICS_KEY)
    if found is None:
        found = {topic.slug: topic for topic in Topic.objects.select_related("default_team")}
        cache.set(TOPICS_KEY, found, CACHE_SECONDS)
    return found


def sla_policies() -> list[PolicyTargets]:
    policies = cache.get(POLICIES_KEY)
    if policies is None:
        policies = [
            PolicyTargets(p.topic_id, p.priority, p.first_response_minutes, p.resolution_minutes)
            for p in SlaPolicy.objects.all()
        ]
        cache.set(POLICIES_KEY, policies, CACHE_SECONDS)
    return policies


def _forget(sender: Any, **kwargs: Any) -> None:
    cache.delete_many([TOPICS_KEY, POLICIES_KEY])


for _model in (Topic, SlaPolicy, Team):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"conversations-lookups-{_model}")
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"conversations-lookups-del-{_model}")
