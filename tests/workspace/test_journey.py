"""Issue 6, "done when", as one journey: an administrator creates a reporter, an editor and a
reviewer for ITU-D; the reporter submits a figure, the reviewer approves it, it appears on the
public pages; every step is in the history; an ITU-R editor cannot touch it; the 2024–2027
draft is started from the current plan."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from frameworks.models import Sector, StrategicPlan
from indicators.models import Indicator, Observation

from .conftest import FIGURE, form_data

pytestmark = pytest.mark.django_db

PASSWORD = "journey-long-passphrase-58"
TARGET_PAGE = "/en/plans/2020-2023/targets/1.2/"


def create_user(admin, username, role, sector):
    """Through the admin's own pages: add the user, then give a role and a sector."""
    data = form_data(admin.get(reverse("admin:auth_user_add")))
    data.update(
        {
            "username": username,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    )
    response = admin.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username=username)
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(admin.get(url))
    data["groups"] = [str(Group.objects.get(name=role).pk)]
    data["sector_assignments-0-sector"] = str(Sector.objects.get(code=sector).pk)
    assert admin.post(url, data).status_code == 302
    user.refresh_from_db()
    assert user.is_staff  # a role comes with the right to sign in
    return user


def signed_in(username):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def test_issue_6_journey(plan, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    admin = signed_in(boss.username)

    reporter = create_user(admin, "ana", "Reporter", "ITU-D")
    create_user(admin, "eli", "Editor", "ITU-D")
    reviewer = create_user(admin, "rui", "Reviewer", "ITU-D")
    create_user(admin, "rita", "Editor", "ITU-R")

    # the public does not see the figure before it is approved
    assert "Facts and Figures 2025" not in Client().get(TARGET_PAGE).content.decode()

    ana = signed_in("ana")
    assert ana.post(reverse("workspace:report"), FIGURE).status_code == 302
    figure = Observation.objects.get(edition=FIGURE["edition"])
    assert (figure.status, figure.reported_by) == ("submitted", reporter)
    assert "Facts and Figures 2025" not in Client().get(TARGET_PAGE).content.decode()

    # the ITU-R editor cannot touch it, nor its indicator, nor review it
    rita = signed_in("rita")
    change = reverse("admin:indicators_observation_change", args=[figure.pk])
    assert rita.get(change).status_code == 403
    assert rita.post(change, {"value": "1"}).status_code == 403
    indicator = Indicator.objects.get(code="1.2-internet-use")
    assert (
        rita.get(reverse("admin:indicators_indicator_change", args=[indicator.pk])).status_code
        == 403
    )
    assert rita.get(reverse("workspace:review")).status_code == 403
    eli = signed_in("eli")  # the ITU-D editor edits the indicator, not the figure
    assert eli.post(change, {"value": "1"}).status_code == 403

    rui = signed_in("rui")
    queue = rui.get(reverse("workspace:review"))
    assert [item.observation for item in queue.context["items"]] == [figure]
    approved = rui.post(
        reverse("workspace:review"), {"figures": [figure.pk], "decision": "approve"}, follow=True
    )
    assert "1 figure approved." in approved.content.decode()
    figure.refresh_from_db()
    assert (figure.status, figure.reviewed_by) == ("approved", reviewer)

    public = Client().get(TARGET_PAGE).content.decode()
    assert "Facts and Figures 2025" in public and "68.5" in public
    api = Client().get("/api/v1/observations/", {"edition": FIGURE["edition"]}).json()
    assert [row["value"] for row in api["results"]] == [68.5]

    # every step is in the history: who, when, what
    steps = list(
        figure.history.order_by("history_id").values_list(
            "history_change_reason", "history_user__username", "status"
        )
    )
    assert steps == [("reported", "ana", "submitted"), ("approved", "rui", "approved")]
    recent = rui.get(reverse("workspace:history")).context["changes"]
    assert [(c.action, c.record.history_user.username) for c in recent[:2]] == [
        ("changed", "rui"),
        ("created", "ana"),
    ]
    log = admin.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "ana" in log and "Reporter" in log and "ITU-D" in log

    # the next cycle, started from the current plan, is a draft the public does not see
    response = admin.post(
        reverse("admin:frameworks_strategicplan_changelist"),
        {"action": "copy_into_next_cycle", "_selected_action": [plan.pk]},
        follow=True,
    )
    assert "copied into the draft 2024-2027" in response.content.decode()
    draft = StrategicPlan.objects.get(code="2024-2027")
    assert draft.status == "draft"
    assert Client().get("/en/plans/2024-2027/").status_code == 404
    assert eli.get("/en/plans/2024-2027/").status_code == 200
