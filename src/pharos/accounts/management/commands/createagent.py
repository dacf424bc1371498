from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pharos.accounts import services
from pharos.accounts.models import StaffRole


class Command(BaseCommand):
    help = "Create a staff member (agent, security agent, VIP account manager or support admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Display name.")
        parser.add_argument("--role", default=StaffRole.AGENT, choices=StaffRole.values)
        parser.add_argument(
            "--languages", default="zh-hans,en", help="Comma-separated, e.g. zh-hans,en."
        )
        parser.add_argument(
            "--password-env",
            default="PHAROS_AGENT_PASSWORD",
            help="Read the password from this environment variable instead of prompting.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"]) or self._prompt_password()
        # The same password rules whether it came from the environment or the prompt.
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            staff = services.create_staff_member(
                email=options["email"],
                role=options["role"],
                display_name=options["name"],
                password=password,
                languages=[
                    code.strip() for code in options["languages"].split(",") if code.strip()
                ],
            )
        except services.AccountError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {staff.get_role_display()} {staff.user.email}.")
        )

    def _prompt_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("No password: set PHAROS_AGENT_PASSWORD or run interactively.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        if len(first) < 10:
            raise CommandError("Use at least 10 characters.")
        return first
