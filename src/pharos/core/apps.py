from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pharos.core"
    label = "core"
    verbose_name = "Pharos"
