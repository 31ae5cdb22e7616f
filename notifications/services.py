"""Who is told of what, when, and the e-mails themselves. An event (`notify`) reaches each
recipient at once, or is kept for their daily digest (`digests_send`, run by send_digests).

Sending never breaks the workflow that caused it: the change is committed before anything is
sent (indicators.signals), and a mail server that fails is logged, not raised."""

import datetime as dt
import logging
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frameworks.roles import Role

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


@dataclass(frozen=True)
class Notice:
    """Something that happened to a thing of a kind of SUBJECTS (its name), by `actor`."""

    subject: str
    thing: object
    event: str
    actor: object = None
    comment: str = ""


def _audiences(keys: set[tuple[str, object]]) -> dict[tuple[str, object], list]:
    """The users of each audience (notifications.subjects.Subject.audience) who can be
    written to: one query per sector, one for every user named."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.select_related("notification_preference").order_by("pk")
    found: dict[tuple[str, object], list] = {key: [] for key in keys}
    for kind, value in keys:
        if kind == "sector":
            # a sector's reviewers; administrators may review everything but are not told of
            # everything
            found[kind, value] = list(
                users.filter(
                    groups__name=Role.REVIEWER, sector_assignments__sector__code=value
                ).distinct()
            )
    named = {value for kind, value in keys if kind == "user" and value is not None}
    if named:
        for user in users.filter(pk__in=named):
            found["user", user.pk].append(user)
    return found


def notify(notices: list[Notice]) -> int:
    """Tell the people each notice concerns (never its actor): one e-mail per recipient for
    those who want them at once, listing every notice of theirs when there are several (a
    reviewer's decision on many figures); rows for the digest of the others. Returns how many
    e-mails went. A few queries, whatever the number of notices and recipients: the things
    read again, the audiences (one per sector), the digest rows."""
    by_subject: dict[str, list[Notice]] = {}
    for notice in notices:
        by_subject.setdefault(notice.subject, []).append(notice)
    notices = []
    for name, group in by_subject.items():
        fresh = SUBJECTS[name].load([notice.thing for notice in group])
        notices += [replace(n, thing=thing) for n, thing in zip(group, fresh, strict=True)]
    audience_of = [SUBJECTS[n.subject].audience(n.thing, n.event) for n in notices]
    audiences = _audiences(set(audience_of))
    recipients: dict[int, tuple[object, list[Notice]]] = {}
    for notice, key in zip(notices, audience_of, strict=True):
        for user in audiences[key]:
            if user.pk != getattr(notice.actor, "pk", None):
                recipients.setdefault(user.pk, (user, []))[1].append(notice)
    messages, kept = [], []
    for user, theirs in recipients.values():
        preference = preference_of(user)
        with translation.override(preference.language):
            if preference.frequency == Frequency.DAILY:
                kept += [_pending(user, notice) for notice in theirs]
            elif len(theirs) == 1:
                messages.append(_event_message(user, theirs[0]))
            else:
                messages.append(_list_message(user, theirs))
    PendingNotification.objects.bulk_create(kept)
    return deliver(messages)


def _list_message(user, notices: list[Notice]) -> EmailMessage:
    items = []
    for notice in notices:
        about = SUBJECTS[notice.subject]
        items.append(
            {
                "event": Event(notice.event).label,
                "actor": name_of(notice.actor),
                "headline": about.headline(notice.thing),
                "comment": notice.comment,
                "link": absolute(about.path(notice.thing, notice.event)),
            }
        )
    count = len(items)
    line = ngettext("%(count)d update on the portal", "%(count)d updates on the portal", count)
    return _message(user, line % {"count": count}, "notifications/email/list.txt", {"items": items})


def _pending(user, notice: Notice) -> PendingNotification:
    about = SUBJECTS[notice.subject]
    return PendingNotification(
        user=user,
        subject=notice.subject,
        object_id=notice.thing.pk,
        event=notice.event,
        actor=name_of(notice.actor),
        headline=about.headline(notice.thing),
        comment=notice.comment,
        path=about.path(notice.thing, notice.event),
    )


def _event_message(user, notice: Notice) -> EmailMessage:
    about = SUBJECTS[notice.subject]
    context = {
        "event": notice.event,
        "actor": name_of(notice.actor),
        "details": about.details(notice.thing),
        "comment": notice.comment,
        "link": absolute(about.path(notice.thing, notice.event)),
    }
    if notice.event == Event.SUBMITTED:
        line = _("To review: %(thing)s")
    elif notice.event == Event.RETURNED:
        line = _("Returned to you: %(thing)s")
    else:
        line = _("Approved: %(thing)s")
    line %= {"thing": about.headline(notice.thing)}
    return _message(user, line, "notifications/email/event.txt", context)


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
                message = _message(user, line, "notifications/email/list.txt", {"items": items})
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
