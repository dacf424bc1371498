from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivechatConfig(AppConfig):
    name = "pharos.livechat"
    label = "livechat"
    verbose_name = _("Live chat")

    def ready(self) -> None:
        from . import announce

        announce.connect()
