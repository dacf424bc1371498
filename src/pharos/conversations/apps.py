from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "pharos.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (connects its cache clean-up to saves)
