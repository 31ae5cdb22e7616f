from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"

    def ready(self):
        from itu_rbm import caching  # imported once the models are: it reads them

        # A write to the indicators or their figures leaves the cached public answers behind
        # (itu_rbm/caching.py); the bulk imports say so themselves (indicators/imports.py).
        caching.connect_content_models(self)
