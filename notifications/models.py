from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once: one e-mail for each event")
    DAILY = "daily", _("Once a day: one e-mail summing up the day's events")


class Event(models.TextChoices):
    """What happened to what a notification is about (notifications.subjects)."""

    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class NotificationPreference(models.Model):
    """How a user wants to be told. A user without one is told at once, in LANGUAGE_CODE."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    # the language of the e-mails: no request is at hand when they are written
    language = models.CharField(
        _("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("notification preference")

    def __str__(self):
        return f"{self.user}: {self.frequency}, {self.language}"


class Digest(models.Model):
    """The daily e-mail sent to a user for a day: at most one per user and day, whoever runs
    send_digests and however often (the constraint decides between two runs at once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")
        ]

    def __str__(self):
        return f"{self.user} {self.day}"


class PendingNotificationQuerySet(models.QuerySet):
    def unsent(self, *, until=None):
        """Waiting for a digest; with `until` (an aware datetime), those created before it."""
        pending = self.filter(digest__isnull=True)
        return pending if until is None else pending.filter(created_at__lt=until)


class PendingNotification(models.Model):
    """An event kept for a user's daily digest. Written for that user, in their language, when
    the event happened: the digest only assembles the rows (and says what was true then)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_notifications"
    )
    # what it is about: a name of notifications.subjects.SUBJECTS and the object's key
    subject = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    event = models.CharField(max_length=10, choices=Event.choices)
    actor = models.CharField(max_length=300, blank=True)
    headline = models.CharField(max_length=1000)
    comment = models.TextField(blank=True)
    path = models.CharField(max_length=500)  # the link, without PORTAL_URL
    created_at = models.DateTimeField(auto_now_add=True)
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )

    objects = PendingNotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["digest", "user", "created_at"], name="notification_pending_idx")
        ]

    def __str__(self):
        return f"{self.user}: {self.event} {self.subject} {self.object_id}"
