from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The secretariat's screens, and the operations that span several data apps."""

    name = "workspace"
    verbose_name = "Staff workspace"
