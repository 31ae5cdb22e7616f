"""Reporting figures through the API: who may (the permission matrix), what a valid figure is
(the import command's validator: every bad input answers 400 and writes nothing), and updates
based on a stale version (412)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from indicators.models import Observation
from tests.personas import make_persona

pytestmark = pytest.mark.django_db

URL = "/api/v1/observations/"
FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": 2024,
    "value": 70.5,
    "publisher": "ITU",
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "source_url": "https://www.itu.int/itu-d/reports/statistics/facts-figures-2024/",
    "edition": "Facts and Figures 2025",
}


def snapshot() -> tuple:
    """Everything a refused write must leave as it was: the figures and their history."""
    return (
        list(Observation.objects.order_by("pk").values_list("pk", "value", "status", "version")),
        Observation.history.count(),
    )


@pytest.fixture
def reported(reporter_d):
    """A figure reporter_d has submitted."""
    response = reporter_d.post(URL, FIGURE, format="json")
    assert response.status_code == 201, response.content
    return Observation.objects.get(pk=response.json()["id"])


# --- who may report ---------------------------------------------------------------------------


def test_a_reporter_of_the_sector_reports_a_figure_that_waits_for_review(reporter_d, api):
    response = reporter_d.post(URL, FIGURE, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted" and body["version"] == 1
    assert (body["plan"], body["target"], body["geography"], body["year"]) == (
        "2020-2023",
        "1.2",
        "WLD",
        2024,
    )
    assert body["value"] == 70.5 and body["source_url"] == FIGURE["source_url"]
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"{URL}{body['id']}/"
    observation = Observation.objects.get(pk=body["id"])
    assert observation.reported_by == reporter_d.user and observation.submitted_at
    record = observation.history.get()
    assert record.history_user == reporter_d.user
    assert record.history_change_reason == "reported through the API"
    # not public until approved
    assert api.get(f"{URL}{body['id']}/").status_code == 404
    assert reporter_d.get(f"{URL}{body['id']}/").json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("api", 401),  # no credentials
        ("nobody", 403),  # signed up, no role
        ("reporter_d", 201),  # reporter of ITU-D, the indicator's sector
        ("reporter_r", 403),  # reporter of ITU-R only
        ("reviewer_d", 403),  # reviews ITU-D, does not report
        ("administrator", 201),
        ("staff_client", 201),  # a superuser signed in to the admin
    ],
)
def test_report_permission_matrix(request, persona, expected):
    client = request.getfixturevalue(persona)
    before = snapshot()
    response = client.post(URL, FIGURE, content_type="application/json")
    assert response.status_code == expected, response.content
    if expected == 201:
        assert Observation.objects.filter(edition=FIGURE["edition"]).count() == 1
        return
    assert snapshot() == before
    assert set(response.json()) == {"detail"}
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"


def test_the_sector_is_named_when_refused(reporter_r):
    response = reporter_r.post(URL, FIGURE, format="json")
    assert response.json() == {"detail": "You may not report figures for the indicators of ITU-D."}


def test_a_revoked_or_wrong_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    before = snapshot()
    response = api.post(URL, FIGURE, format="json")
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}
    assert api.get(URL).status_code == 401
    assert snapshot() == before


# --- what a valid figure is -------------------------------------------------------------------

BAD_INPUTS = [
    (
        {"indicator": "1.2-nothing"},
        {"indicator": ["unknown indicator '1.2-nothing' in plan 2020-2023"]},
    ),
    ({"geography": "ATLANTIS"}, {"geography": ["unknown geography 'ATLANTIS'"]}),
    (
        {"value": 120},
        {"value": ["120 is above the highest allowed value 100 for 1.2-internet-use"]},
    ),
    (
        {"value": -1},
        {"value": ["-1 is below the lowest allowed value 0 for 1.2-internet-use"]},
    ),
    ({"year": 1989}, {"year": ["1989 is outside 1990–2035"]}),
    ({"year": 2036}, {"year": ["2036 is outside 1990–2035"]}),
    (
        {"year": 2023, "edition": "Facts and Figures 2023"},
        {
            "edition": [
                "a figure for 1.2-internet-use, WLD, 2023 already exists in the edition "
                "'Facts and Figures 2023'"
            ]
        },
    ),
    ({"value": "around half"}, {"value": ["A valid number is required."]}),
    # the API's numbers have a decimal point: a French decimal comma is refused, never read as 4075
    ({"value": "407,5"}, {"value": ["A valid number is required."]}),
    ({"value": "1,234"}, {"value": ["A valid number is required."]}),
    (
        {"year": 2031},
        {"year": ["2031 is outside the reporting window of the 2020-2023 plan: 2010 to 2026"]},
    ),
    (
        {"year": 2009},
        {"year": ["2009 is outside the reporting window of the 2020-2023 plan: 2010 to 2026"]},
    ),
    ({"value": 12.3456789}, {"value": ["Ensure that there are no more than 6 decimal places."]}),
    ({"value": 1e20}, {"value": ["Ensure that there are no more than 20 digits in total."]}),
    ({"year": "soon"}, {"year": ["A valid integer is required."]}),
    ({"source_url": "ftp://example.org/f.csv"}, {"source_url": ["must be an http(s) address"]}),
    ({"plan": "1999-2002"}, {"plan": ["No plan with the code '1999-2002'."]}),
    ({"source": ""}, {"source": ["This field may not be blank."]}),
]


@pytest.mark.parametrize(("change", "errors"), BAD_INPUTS)
def test_a_bad_figure_is_refused_with_a_message_per_field(reporter_d, change, errors):
    before = snapshot()
    response = reporter_d.post(URL, {**FIGURE, **change}, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot() == before


def test_a_year_in_the_future_is_refused_even_within_the_plans_reach(reporter_d, plan):
    next_year = timezone.localdate().year + 1
    plan.reporting_reach_years = next_year - 2023 + 2  # the plan reaches beyond this year
    plan.save()
    before = snapshot()
    response = reporter_d.post(URL, {**FIGURE, "year": next_year}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "year": [
            f"{next_year} is in the future: figures are reported up to {next_year - 1}, "
            "the current year"
        ]
    }
    assert snapshot() == before


def test_a_decimal_point_text_value_is_read_as_such(reporter_d):
    response = reporter_d.post(URL, {**FIGURE, "value": "40.75"}, format="json")
    assert response.status_code == 201, response.content
    assert Observation.objects.get(pk=response.json()["id"]).value == Decimal("40.75")


def test_every_problem_of_a_figure_is_listed_at_once(reporter_d):
    before = snapshot()
    body = {**FIGURE, "geography": "ATLANTIS", "year": 2036, "value": 101}
    response = reporter_d.post(URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"geography", "year", "value"}
    assert snapshot() == before


def test_missing_fields_are_named(reporter_d):
    before = snapshot()
    response = reporter_d.post(URL, {"indicator": "1.2-internet-use"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {
        "geography",
        "year",
        "value",
        "publisher",
        "publication",
        "source",
        "edition",
    }
    assert snapshot() == before


def test_a_body_that_is_not_json_is_refused(reporter_d):
    before = snapshot()
    malformed = reporter_d.post(URL, "{not json", content_type="application/json")
    assert malformed.status_code == 400 and "detail" in malformed.json()
    form = reporter_d.post(URL, FIGURE)  # multipart form
    assert form.status_code == 415
    assert reporter_d.post(URL, [FIGURE], format="json").status_code == 400
    assert snapshot() == before


def test_an_unknown_indicator_in_another_sector_is_still_a_400_not_a_403(reporter_r):
    response = reporter_r.post(URL, {**FIGURE, "indicator": "nothing"}, format="json")
    assert response.status_code == 400 and "indicator" in response.json()


# --- changes: own figures, before approval, based on the current version ----------------------


def test_a_reporter_changes_their_figure_with_if_match(reporter_d, reported):
    etag = reporter_d.get(f"{URL}{reported.pk}/")["ETag"]
    assert etag == '"1"'
    response = reporter_d.patch(
        f"{URL}{reported.pk}/", {"value": 71, "note": "revised"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.json()["value"] == 71 and response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    reported.refresh_from_db()
    assert (reported.value, reported.note, reported.version) == (71, "revised", 2)
    assert reported.status == Observation.Status.SUBMITTED
    assert reported.history.first().history_change_reason == "revised through the API"
    assert reported.history.first().history_user == reporter_d.user


def test_a_change_of_geography_shows_in_the_answer(reporter_d, reported):
    response = reporter_d.patch(
        f"{URL}{reported.pk}/", {"geography": "LDC"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200
    assert (response.json()["geography"], response.json()["indicator"]) == (
        "LDC",
        "1.2-internet-use",
    )


def test_a_stale_change_is_refused_with_412_and_not_applied(reporter_d, reported):
    address = f"{URL}{reported.pk}/"
    first = reporter_d.patch(address, {"value": 71}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200
    before = snapshot()
    stale = reporter_d.patch(address, {"value": 72}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["detail"].startswith("The figure has changed")
    stale_body = reporter_d.patch(address, {"value": 72, "version": 1}, format="json")
    assert stale_body.status_code == 412
    assert snapshot() == before
    current = reporter_d.patch(address, {"value": 72, "version": 2}, format="json")
    assert current.status_code == 200 and current.json()["version"] == 3


def test_a_change_must_say_which_version_it_is_based_on(reporter_d, reported):
    before = snapshot()
    response = reporter_d.patch(f"{URL}{reported.pk}/", {"value": 71}, format="json")
    assert response.status_code == 428
    bad = reporter_d.patch(f"{URL}{reported.pk}/", {"value": 71, "version": "one"}, format="json")
    assert bad.status_code == 400 and "version" in bad.json()
    assert snapshot() == before


def test_a_change_is_validated_like_a_new_figure(reporter_d, reported):
    before = snapshot()
    response = reporter_d.patch(
        f"{URL}{reported.pk}/", {"value": 150, "year": 1900}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400 and set(response.json()) == {"value", "year"}
    moved = reporter_d.patch(
        f"{URL}{reported.pk}/", {"plan": "2024-2027"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert moved.status_code == 400 and "plan" in moved.json()
    assert snapshot() == before


def test_a_returned_figure_goes_back_to_review_when_changed(reporter_d, reported):
    reported.status = Observation.Status.RETURNED
    reported.save()
    response = reporter_d.patch(
        f"{URL}{reported.pk}/", {"value": 69}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("api", 401),
        ("nobody", 403),
        ("reporter_r", 403),
        ("reviewer_d", 403),
        ("administrator", 403),  # someone else's figure
        ("reporter_d2", 403),  # same sector, someone else's figure
        ("reporter_d", 200),  # their own
    ],
)
def test_change_permission_matrix(request, reported, persona, expected):
    client = request.getfixturevalue(persona)
    before = snapshot()
    response = client.patch(
        f"{URL}{reported.pk}/", {"value": 60}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == expected, response.content
    if expected != 200:
        assert snapshot() == before
        assert set(response.json()) == {"detail"}


def test_an_approved_figure_cannot_be_changed(reporter_d, reported):
    reported.status = Observation.Status.APPROVED
    reported.save()
    before = snapshot()
    response = reporter_d.patch(
        f"{URL}{reported.pk}/", {"value": 60}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("An approved figure cannot be changed")
    assert snapshot() == before


def test_put_and_delete_are_not_offered(reporter_d, reported):
    assert reporter_d.put(f"{URL}{reported.pk}/", FIGURE, format="json").status_code == 405
    assert reporter_d.delete(f"{URL}{reported.pk}/").status_code == 405
    assert Observation.objects.filter(pk=reported.pk).exists()


# --- rate -------------------------------------------------------------------------------------


def test_reports_beyond_the_rate_are_refused_with_429(reporter_d, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"reports": "2/minute"},
    }
    for year in (2024, 2025):
        assert reporter_d.post(URL, {**FIGURE, "year": year}, format="json").status_code == 201
    before = snapshot()
    refused = reporter_d.post(URL, {**FIGURE, "year": 2026}, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and refused.json()["detail"].startswith("Request was")
    assert snapshot() == before
    assert reporter_d.get(URL).status_code == 200  # reads are not counted
    other = APIClient()
    assert other.get(URL).status_code == 200


def test_a_duplicate_written_meanwhile_is_a_400_not_a_500(reporter_d, monkeypatch):
    """The figure is stored by someone else between the check and the write: the database's
    uniqueness constraint answers, and the API says so like the validator would."""
    from indicators.validation import ObservationValidator

    existing = Observation.objects.filter(indicator__code="1.2-internet-use", year=2023).first()
    monkeypatch.setattr(ObservationValidator, "__init__", _validator_blind_to_existing_figures)
    before = snapshot()
    response = reporter_d.post(
        URL, {**FIGURE, "year": 2023, "edition": existing.edition}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"edition": ["This figure already exists in this edition."]}
    assert snapshot() == before


def _validator_blind_to_existing_figures(self, plan, *, existing_for=None):
    from indicators.models import Geography, Indicator
    from indicators.validation import ReportingWindow

    self.plan = plan
    self.indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    self.window = ReportingWindow.of(plan, self.indicators.values())
    self.geographies = {g.code: g for g in Geography.objects.all()}
    self.seen, self.existing = {}, {}


# --- tokens -----------------------------------------------------------------------------------


def test_staff_issue_and_revoke_tokens_in_the_admin(staff_client, django_user_model):
    from django.contrib.messages import get_messages
    from knox.models import AuthToken

    user = django_user_model.objects.create_user("tool", "tool@example.org", "a-long-password-3")
    assert staff_client.get("/admin/knox/authtoken/add/").status_code == 200
    response = staff_client.post("/admin/knox/authtoken/add/", {"user": user.pk, "valid_days": 30})
    assert response.status_code == 302
    token = AuthToken.objects.get(user=user)
    # the key, shown once in the message, is one the database only holds a hash of
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    key = message.split(" is ")[1].split(".")[0]
    assert len(key) == 64 and key.startswith(token.token_key) and token.digest != key
    tool = APIClient()
    tool.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert tool.get(URL).status_code == 200
    revoked = staff_client.post(
        reverse("admin:knox_authtoken_delete", args=[token.pk]), {"post": "yes"}
    )
    assert revoked.status_code == 302 and not AuthToken.objects.filter(user=user).exists()
    assert tool.get(URL).status_code == 401


def test_an_expired_token_is_401_and_is_removed(django_user_model):
    from datetime import timedelta

    from knox.models import AuthToken

    user = make_persona("reporter_d")
    token, key = AuthToken.objects.create(user=user, expiry=timedelta(days=1))
    tool = APIClient()
    tool.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert tool.get(URL).status_code == 200
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    before = snapshot()
    response = tool.post(URL, FIGURE, format="json")
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}
    assert snapshot() == before
    assert not AuthToken.objects.filter(pk=token.pk).exists()


def test_tokens_expire_after_the_configured_days_by_default(django_user_model):
    from knox.models import AuthToken

    token, _key = AuthToken.objects.create(user=make_persona("reporter_d"))
    assert round((token.expiry - token.created).total_seconds() / 86400) == 90


def test_a_revoked_token_is_401(reporter_d):
    from knox.models import AuthToken

    assert reporter_d.get(URL).status_code == 200
    AuthToken.objects.filter(user=reporter_d.user).delete()
    response = reporter_d.get(URL)
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}


# --- the answer after the commit (issue 18) ----------------------------------------------------


class DatabaseGoneAfterCommit:
    """Every query fails once `arm` ran: registered with on_commit, it runs when the write's
    transaction commits, as if the database went down right then."""

    armed = False

    def arm(self):
        self.armed = True

    def __call__(self, execute, sql, params, many, context):
        if self.armed:
            from django.db import OperationalError

            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_is_acknowledged_even_if_the_database_fails_after_the_commit(
    reporter_d, monkeypatch
):
    """The answer was read again after the commit: the client was told 500 for a stored figure,
    and its retry was refused as a duplicate."""
    from django.db import connection, transaction

    from indicators import services

    gone = DatabaseGoneAfterCommit()
    original = services.observation_report

    def report_then_fail_at_commit(**kwargs):
        observation = original(**kwargs)
        transaction.on_commit(gone.arm)
        return observation

    monkeypatch.setattr(services, "observation_report", report_then_fail_at_commit)
    with connection.execute_wrapper(gone):
        response = reporter_d.post(URL, FIGURE, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert gone.armed
    assert response.status_code == 201, response.content
    stored = Observation.objects.get(pk=response.json()["id"])
    assert (stored.value, response.json()["indicator"], response.json()["target"]) == (
        Decimal("70.5"),
        "1.2-internet-use",
        "1.2",
    )
    retry = reporter_d.post(URL, FIGURE, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert retry.status_code == 201 and retry.json() == response.json()
