from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "pharos.core"
    label = "core"
    verbose_name = "Pharos"


class PharosAdminConfig(admin_apps.AdminConfig):
    default = False  # named explicitly in INSTALLED_APPS
    default_site = "pharos.core.admin_site.PharosAdminSite"
