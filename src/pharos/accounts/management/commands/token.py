from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pharos.accounts import services
from pharos.accounts.models import User


class Command(BaseCommand):
    help = "Print a new personal API token for the user with this email (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="personal", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = services.normalize_email(options["email"])
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {options['email']}.")
        self.stdout.write(services.issue_api_token(user, options["name"]))
