from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A report sent with an `Idempotency-Key` header, and the answer it got: a retry with the
    same key and body gets that answer again instead of writing a second figure (api.idempotency).
    Written in the same transaction as the figure, so a key is kept exactly when its figure is."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical body.")
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self):
        return f"{self.user_id}: {self.key}"
