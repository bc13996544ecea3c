from django.apps import AppConfig


class KindAppConfig(AppConfig):
    """A throwaway domain app, installed only by the test settings: the worked example of a plug-in kind."""

    name = "tests.kindapp"
    label = "kindapp"
