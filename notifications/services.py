"""Who is told of what, when, and the e-mails themselves. An event (`notify`) reaches each
recipient at once, or is kept for their daily digest (`digests_send`, run by send_digests).

Sending never breaks the workflow that caused it: the change is committed before anything is
sent (indicators.signals), and a mail server that fails is logged, not raised."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Digest, Event, Frequency, NotificationPreference, PendingNotification
from .subjects import SUBJECTS

logger = logging.getLogger(__name__)

DEFAULT_PREFERENCE = NotificationPreference(
    frequency=Frequency.IMMEDIATE, language=settings.LANGUAGE_CODE
)


def preference_of(user) -> NotificationPreference:
    """The user's preference, or the default (immediate, in LANGUAGE_CODE). select_related
    "notification_preference" when asking for many users."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return DEFAULT_PREFERENCE


def name_of(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else _("the portal")


def absolute(path: str) -> str:
    return settings.PORTAL_URL + path


def deliver(messages: list[EmailMessage]) -> int:
    """Send `messages` over one connection; a failure is logged, never raised. How many went."""
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:  # any mail server failure: the event that caused the mail stays done
        logger.exception("Could not send %d notification e-mail(s)", len(messages))
        return 0


def _message(user, subject_line: str, template: str, context: dict) -> EmailMessage:
    context = {
        **context,
        "recipient": name_of(user),
        "preferences_url": absolute(reverse("notifications:preferences")),
    }
    body = render_to_string(template, context)
    return EmailMessage(
        subject=subject_line.replace("\n", " "),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


EVENT_SUBJECT_LINES = {
    # the e-mail's subject: "%(thing)s" is the subject's headline
    Event.SUBMITTED: lambda: _("To review: %(thing)s"),
    Event.RETURNED: lambda: _("Returned to you: %(thing)s"),
    Event.APPROVED: lambda: _("Approved: %(thing)s"),
}


def notify(*, subject: str, thing, event: str, actor=None, comment: str = "") -> int:
    """Tell the people `event` concerns about `thing` (a kind of SUBJECTS): an e-mail each to
    those who want one at once, a row for the digest of the others. Never the actor. Returns
    how many e-mails went. Four queries, whatever the number of recipients, plus what the
    subject's description reads (select_related it)."""
    about = SUBJECTS[subject]
    recipients = list(
        about.recipients(thing, event)
        .exclude(pk=getattr(actor, "pk", None))
        .exclude(email="")
        .select_related("notification_preference")
        .distinct()
        .order_by("pk")
    )
    messages, kept = [], []
    for user in recipients:
        preference = preference_of(user)
        with translation.override(preference.language):
            headline = about.headline(thing)
            path = about.path(thing, event)
            actor_name = name_of(actor)
            if preference.frequency == Frequency.DAILY:
                kept.append(
                    PendingNotification(
                        user=user,
                        subject=subject,
                        object_id=thing.pk,
                        event=event,
                        actor=actor_name,
                        headline=headline,
                        comment=comment,
                        path=path,
                    )
                )
                continue
            context = {
                "event": event,
                "actor": actor_name,
                "details": about.details(thing),
                "comment": comment,
                "link": absolute(path),
            }
            line = EVENT_SUBJECT_LINES[Event(event)]() % {"thing": headline}
            messages.append(_message(user, line, "notifications/email/event.txt", context))
    PendingNotification.objects.bulk_create(kept)
    return deliver(messages)


def day_end(day: dt.date) -> dt.datetime:
    """The first moment after `day`, in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def digest_send(*, user, day: dt.date) -> int:
    """The user's digest for `day`: one e-mail listing what waits for them from `day` and
    before, once per user and day (a second run, even at the same time, sends nothing).
    If the e-mail cannot be sent, nothing is marked and a later run sends it. Returns how
    many notifications it listed (0: none sent)."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, day=day)
            # locked (PostgreSQL) so that a digest of another day sent meanwhile cannot take
            # the same rows; SQLite lets one writer in at a time anyway
            rows = list(
                PendingNotification.objects.select_for_update()
                .filter(user=user)
                .unsent(until=day_end(day))
            )
            if not rows:
                transaction.set_rollback(True)  # no digest recorded: nothing was sent
                return 0
            PendingNotification.objects.filter(pk__in=[row.pk for row in rows]).update(
                digest=digest
            )
            with translation.override(preference_of(user).language):
                items = [
                    {
                        "event": Event(row.event).label,
                        "actor": row.actor,
                        "headline": row.headline,
                        "comment": row.comment,
                        "link": absolute(row.path),
                    }
                    for row in rows
                ]
                line = _("Your daily summary of %(date)s") % {"date": day.isoformat()}
                message = _message(
                    user, line, "notifications/email/digest.txt", {"items": items, "day": day}
                )
            # inside the transaction: if the server refuses it, the rows stay pending
            message.send()
    except IntegrityError:  # this user's digest of that day is sent already (or being sent)
        return 0
    except Exception:
        logger.exception("Could not send the digest of %s to user %s", day, user.pk)
        return 0
    return len(rows)


def digests_send(*, day: dt.date) -> dict[str, int]:
    """Every user's digest for `day` (those with something pending from `day` or before).
    Returns how many e-mails went and how many notifications they listed."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(
            pending_notifications__digest__isnull=True,
            pending_notifications__created_at__lt=day_end(day),
        )
        .exclude(email="")
        .select_related("notification_preference")
        .distinct()
        .order_by("pk")
    )
    sent = listed = 0
    for user in users:
        count = digest_send(user=user, day=day)
        sent += bool(count)
        listed += count
    return {"emails": sent, "notifications": listed}
