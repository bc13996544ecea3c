from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app declares its jobs and schedules in its own tasks.py; collect them in every process (the web
        # process starts jobs by kind, the worker runs them), without core naming any app above it.
        autodiscover_modules("tasks")
