from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pharos.accounts.demo import load_demo_people
from pharos.bot.demo import load_demo_questions
from pharos.conversations.demo import load_demo_conversations
from pharos.exchange.demo import seed_demo_exchange
from pharos.helpcenter.demo import load_demo_help_center


class Command(BaseCommand):
    help = (
        "Load the demo data: help center, the bot's example questions, demo exchange accounts "
        "and demo sign-ins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        help_center = load_demo_help_center()
        questions = load_demo_questions()
        accounts = seed_demo_exchange()
        people = load_demo_people()
        conversations = load_demo_conversations()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {help_center['articles']} articles, "
                f"{help_center['announcements']} announcements, {questions} example questions for "
                f"the bot, {accounts} exchange accounts, "
                f"{people} people, {conversations} conversations."
            )
        )
