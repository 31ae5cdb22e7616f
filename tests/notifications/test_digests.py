"""send_digests: one e-mail per user and day, whatever runs it and how often."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.models import Digest, Frequency, NotificationPreference, PendingNotification
from notifications.services import digest_send

from .conftest import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily_reviewer(people):
    reviewer = people["reviewer_d"]
    NotificationPreference.objects.create(user=reviewer, frequency=Frequency.DAILY)
    return reviewer


def send_digests(*args) -> str:
    output = StringIO()
    call_command("send_digests", *args, stdout=output)
    return output.getvalue()


def test_a_digest_lists_what_waits_from_its_day_and_before_only(inbox, daily_reviewer, reported):
    reported(), reported(geography="ITU-AFR")
    assert inbox.messages == []
    today = timezone.localdate()
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)

    assert send_digests("--date", yesterday.isoformat()) == (
        f"{yesterday}: 0 digest(s) sent, listing 0 notification(s).\n"
    )
    assert inbox.messages == []

    assert send_digests("--date", today.isoformat()).startswith(f"{today}: 1 digest(s) sent")
    (digest,) = inbox.messages
    assert digest["To"] == "reviewer_d@example.org"
    text = body(digest)
    assert "2 things happened on the portal that concern you:" in text
    assert "1. Submitted for review — 1.2-internet-use · World · 2024" in text
    assert "2. Submitted for review — 1.2-internet-use · Africa · 2024" in text
    assert text.count("https://rbm.example.org/en/workspace/review/") == 2

    # reported after today's digest: it waits for tomorrow's
    reported(geography="ITU-AMS")
    assert send_digests("--date", today.isoformat()).startswith(f"{today}: 0 digest(s)")
    assert send_digests("--date", tomorrow.isoformat()).startswith(f"{tomorrow}: 1 digest(s)")
    assert "One thing happened on the portal that concerns you:" in body(inbox.messages[-1])
    assert len(inbox.messages) == 2
    assert list(Digest.objects.values_list("day", flat=True)) == [tomorrow, today]


def test_a_digest_that_cannot_be_sent_stays_pending(inbox, daily_reviewer, reported, settings):
    reported()
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nothing listens at 1

    assert send_digests().endswith(": 0 digest(s) sent, listing 0 notification(s).\n")
    assert PendingNotification.objects.unsent().count() == 1
    assert not Digest.objects.exists()

    settings.EMAIL_PORT = port
    assert send_digests().endswith(": 1 digest(s) sent, listing 1 notification(s).\n")


def test_a_second_run_for_the_same_day_sends_nothing_even_with_rows_left(
    inbox, daily_reviewer, reported
):
    """Two runs at once: the second finds the user's digest of the day recorded (the unique
    constraint decides on PostgreSQL, the single writer on SQLite) and sends nothing."""
    reported()
    today = timezone.localdate()
    Digest.objects.create(user=daily_reviewer, day=today)

    assert digest_send(user=daily_reviewer, day=today) == 0
    assert inbox.messages == []
    assert PendingNotification.objects.unsent().count() == 1


def test_the_digests_queries_are_bounded_by_the_users_not_the_events(
    inbox, daily_reviewer, reported, django_assert_max_num_queries
):
    for geography in ["WLD", "ITU-AFR", "ITU-AMS", "ITU-ARB", "ITU-ASP"]:
        reported(geography=geography)

    with django_assert_max_num_queries(8):
        send_digests()

    assert "5 things happened" in body(inbox.messages[0])


def test_a_malformed_date_is_refused_clearly(db):
    with pytest.raises(CommandError, match=r"--date '7/12/2026': use YYYY-MM-DD"):
        send_digests("--date", "7/12/2026")
