from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The public pages: overview, goals, targets, objectives, risks, linkages, about."""

    name = "dashboards"
    verbose_name = "Public dashboards"
