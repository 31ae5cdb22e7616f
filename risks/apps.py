from django.apps import AppConfig


class RisksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "risks"

    def ready(self):
        from itu_rbm import caching  # imported once the models are: it reads them

        # A write to the risks leaves the cached public answers behind (itu_rbm/caching.py).
        caching.connect_content_models(self)
