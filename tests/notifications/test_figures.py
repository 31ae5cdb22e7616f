"""A figure's review workflow e-mails the people it concerns, through a real SMTP server: its
sector's reviewers when it is submitted, its reporter when it is returned or approved."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.models import Observation
from notifications.models import Frequency, NotificationPreference, PendingNotification
from notifications.services import Notice, notify
from tests.personas import make_user

from .conftest import FIGURE, PORTAL, body, subject

pytestmark = pytest.mark.django_db


def review(user, figures, *, approve, comment="", capture):
    with capture(execute=True):
        services.observations_review(
            observations=figures, user=user, approve=approve, comment=comment
        )


def test_a_submitted_figure_is_mailed_to_its_sectors_reviewers_once(inbox, people, reported):
    figure = reported()

    assert inbox.recipients() == ["reviewer_d@example.org"]  # not ITU-R's, nor administrators
    (message,) = inbox.messages
    assert message["To"] == "reviewer_d@example.org"
    assert subject(message) == (
        "To review: 1.2-internet-use · World · 2024 · 68.5 · Facts and Figures 2025"
    )
    text = body(message)
    assert "Hello reviewer_d," in text
    assert "reporter_d submitted a figure for review:" in text
    assert f"  Indicator: 1.2-internet-use — {figure.indicator.name}\n" in text
    assert "  Geography: WLD — World\n" in text
    assert "  Year: 2024\n" in text
    assert "  Value: 68.5\n" in text
    assert "  Edition: Facts and Figures 2025\n" in text
    assert f"Review it:\n{PORTAL}/en/workspace/review/\n" in text
    assert f"{PORTAL}/en/workspace/notifications/" in text
    assert "Comment" not in text


def test_a_returned_figure_tells_its_reporter_why(inbox, people, reported, commits):
    figure = reported()
    inbox.envelopes.clear()
    comment = "The 2024 value is an estimate: cite the final figure."

    review(
        people["reviewer_d"],
        [figure],
        approve=False,
        comment=comment,
        capture=commits,
    )

    (message,) = inbox.messages
    assert message["To"] == "reporter_d@example.org"
    assert subject(message).startswith("Returned to you: 1.2-internet-use · World · 2024")
    text = body(message)
    assert "reviewer_d returned a figure you reported:" in text
    assert f"Comment:\n  {comment}\n" in text
    assert f"Correct it and submit it again:\n{PORTAL}/en/workspace/figures/{figure.pk}/\n" in text


def test_an_approved_figure_is_mailed_to_its_reporter(inbox, people, reported, commits):
    figure = reported()
    inbox.envelopes.clear()

    review(people["reviewer_d"], [figure], approve=True, capture=commits)

    (message,) = inbox.messages
    assert message["To"] == "reporter_d@example.org"
    assert subject(message) == (
        "Approved: 1.2-internet-use · World · 2024 · 68.5 · Facts and Figures 2025"
    )
    text = body(message)
    assert "reviewer_d approved a figure you reported:" in text
    assert f"{PORTAL}/en/workspace/figures/#figure-{figure.pk}" in text
    assert Observation.objects.get(pk=figure.pk).status == "approved"


def test_a_decision_on_several_figures_is_one_mail_per_reporter(inbox, people, reported, commits):
    figures = [reported(geography=code) for code in ["WLD", "ITU-AFR", "ITU-AMS"]]
    assert len(inbox.messages) == 3  # the reviewer was told of each report
    inbox.envelopes.clear()

    with commits(execute=True) as callbacks:
        services.observations_review(observations=figures, user=people["reviewer_d"], approve=True)

    announcements = [c for c in callbacks if c.__module__ == "indicators.signals"]
    assert len(announcements) == 1  # one for the whole decision
    (message,) = inbox.messages
    assert message["To"] == "reporter_d@example.org"
    assert subject(message) == "3 updates on the portal"
    text = body(message)
    assert "3 things happened on the portal that concern you:" in text
    assert "1. Approved — 1.2-internet-use · World · 2024 · 68.5 · Facts and Figures 2025" in text
    assert "3. Approved — 1.2-internet-use · Americas · 2024" in text
    assert text.count("by reviewer_d") == 3
    for figure in figures:
        assert f"{PORTAL}/en/workspace/figures/#figure-{figure.pk}\n" in text


def test_a_refused_decision_on_several_figures_sends_nothing(inbox, people, reported, commits):
    figures = [reported(), reported(geography="ITU-AFR")]
    review(people["reviewer_d"], figures[:1], approve=True, capture=commits)
    inbox.envelopes.clear()

    with commits(execute=True) as callbacks, pytest.raises(services.WorkflowError):
        services.observations_review(
            observations=figures, user=people["reviewer_d"], approve=True
        )  # the first is approved already: nothing is

    assert callbacks == []
    assert inbox.messages == []


def test_a_returned_figure_submitted_again_is_mailed_to_the_reviewers_again(
    inbox, people, reported, commits
):
    figure = reported()
    review(
        people["reviewer_d"],
        [figure],
        approve=False,
        comment="Which edition?",
        capture=commits,
    )
    inbox.envelopes.clear()

    with commits(execute=True):
        services.observation_revise(
            observation=figure,
            raw={**FIGURE, "value": "68.7"},
            user=people["reporter_d"],
            based_on_version=Observation.objects.get(pk=figure.pk).version,
        )

    (message,) = inbox.messages
    assert message["To"] == "reviewer_d@example.org"
    assert "  Value: 68.7\n" in body(message)


def test_each_recipient_reads_the_mail_in_their_language(inbox, people, reported):
    NotificationPreference.objects.create(user=people["reviewer_d"], language="fr")

    reported()

    (message,) = inbox.messages
    text = body(message)
    assert f"{PORTAL}/fr/workspace/review/" in text
    assert "  Valeur: 68,5\n" in text  # as French writes numbers
    assert "Monde" in text  # the geography's French name
    assert "Facts and Figures 2025" in text


def test_a_rolled_back_transition_sends_nothing(inbox, people, plan, commits):
    with (
        commits(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.observation_report(plan=plan, raw=FIGURE, user=people["reporter_d"])
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert inbox.messages == []
    assert not Observation.objects.filter(edition=FIGURE["edition"]).exists()


def test_a_mail_server_that_fails_does_not_stop_the_workflow(
    inbox, people, reported, settings, caplog
):
    settings.EMAIL_PORT = 1  # nothing listens there

    with caplog.at_level(logging.ERROR):
        figure = reported()

    assert Observation.objects.get(pk=figure.pk).status == "submitted"
    assert "Could not send 1 notification e-mail(s)" in caplog.text
    assert inbox.messages == []


def test_users_without_an_address_or_inactive_are_not_mailed(inbox, people, reported):
    make_user("reviewer_d_gone", "Reviewer", ["ITU-D"]).__class__.objects.filter(
        username="reviewer_d_gone"
    ).update(is_active=False)
    quiet = make_user("reviewer_d_quiet", "Reviewer", ["ITU-D"])
    quiet.email = ""
    quiet.save()

    reported()

    assert inbox.recipients() == ["reviewer_d@example.org"]


def test_the_number_of_queries_does_not_grow_with_the_recipients(inbox, people, reported):
    figure = reported()
    figure = Observation.objects.select_related("indicator", "geography").get(pk=figure.pk)

    def queries_to_notify() -> int:
        inbox.envelopes.clear()
        with CaptureQueriesContext(connection) as queries:
            notify([Notice("figure", figure, "submitted", people["reporter_d"])])
        return len(queries)

    one = queries_to_notify()
    for index in range(4):
        reviewer = make_user(f"reviewer_d{index}", "Reviewer", ["ITU-D"])
        NotificationPreference.objects.create(
            user=reviewer, frequency=Frequency.DAILY if index % 2 else Frequency.IMMEDIATE
        )
    five = queries_to_notify()

    assert len(inbox.messages) == 3  # reviewer_d, reviewer_d0, reviewer_d2; the others daily
    assert PendingNotification.objects.count() == 2
    assert five <= one + 1  # the rows for the digests: one insert
    assert one <= 3  # the figure read again, its sector's reviewers


# --- the daily digest --------------------------------------------------------------------------


def test_a_daily_reader_gets_one_digest_a_day_listing_every_event(inbox, people, reported, commits):
    NotificationPreference.objects.create(
        user=people["reporter_d"], frequency=Frequency.DAILY, language="fr"
    )
    returned, approved = reported(), reported(geography="ITU-AFR")
    inbox.envelopes.clear()
    review(
        people["reviewer_d"],
        [returned],
        approve=False,
        comment="Source?",
        capture=commits,
    )
    review(people["reviewer_d"], [approved], approve=True, capture=commits)
    assert inbox.messages == []  # nothing at once

    output = StringIO()
    call_command("send_digests", stdout=output)
    assert output.getvalue().endswith(": 1 digest(s) sent, listing 2 notification(s).\n")

    (digest,) = inbox.messages
    assert digest["To"] == "reporter_d@example.org"
    text = body(digest)
    assert "1. Renvoyée — 1.2-internet-use · Monde · 2024 · 68,5 · Facts and Figures 2025" in text
    assert "Source?" in text
    assert f"{PORTAL}/fr/workspace/figures/{returned.pk}/" in text
    assert "2. Approuvée — 1.2-internet-use · Afrique" in text
    assert f"{PORTAL}/fr/workspace/figures/#figure-{approved.pk}" in text
    assert text.count("reviewer_d") == 2

    call_command("send_digests", stdout=output)  # the same day again
    assert output.getvalue().endswith(": 0 digest(s) sent, listing 0 notification(s).\n")
    assert len(inbox.messages) == 1
    assert not PendingNotification.objects.unsent().exists()


def test_a_decision_in_the_review_queue_mails_the_reporter(inbox, people, reported, commits):
    figure = reported()
    inbox.envelopes.clear()
    client = Client()
    client.force_login(people["reviewer_d"])

    with commits(execute=True):
        response = client.post(
            "/en/workspace/review/",
            {"figures": [figure.pk], "decision": "return", "comment": "Cite the final edition."},
        )

    assert response.status_code == 302
    (message,) = inbox.messages
    assert message["To"] == "reporter_d@example.org"
    assert "Comment:\n  Cite the final edition.\n" in body(message)
