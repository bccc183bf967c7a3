from django.apps import AppConfig


class CoreConfig(AppConfig):
    """An app only for what Django finds by app: the periodic tasks' migrations and command.

    ``core`` has no models; the schedule belongs to every app and to none of them.
    """

    name = "core"
