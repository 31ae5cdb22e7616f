"""A reviewer, in a real browser, signs in, approves a submitted figure in the review queue, and
the public target page then shows it."""

import pytest

from frameworks.models import StrategicPlan
from indicators import services
from tests.personas import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIGURE = {
    "indicator": "1.2-internet-use",
    "geography": "WLD",
    "year": "2024",
    "value": "68.5",
    "publisher": "ITU",
    # the published figures hold Facts and Figures 2024's world 2024 (68): a later edition's
    "publication": "Facts and Figures 2025",
    "source": "ITU Facts and Figures 2025",
    "source_url": "",
    "edition": "Facts and Figures 2025",
    "note": "",
}


def test_reviewer_approves_a_figure_and_the_public_sees_it(
    loaded_server, page, browser, django_user_model
):
    reporter = make_user("ana", "Reporter", ["ITU-D"])
    make_user("rui", "Reviewer", ["ITU-D"])
    plan = StrategicPlan.objects.get(code="2020-2023")
    figure = services.observation_report(plan=plan, raw=FIGURE, user=reporter)

    public = browser.new_page()
    public.goto(f"{loaded_server.url}/en/plans/2020-2023/targets/1.2/")
    assert public.get_by_text("Facts and Figures 2025").count() == 0

    page.goto(f"{loaded_server.url}/admin/login/?next=/en/workspace/review/")
    page.fill("#id_username", "rui")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/en/workspace/review/")

    row = page.locator(f"#figure-{figure.pk}")
    assert "1.2-internet-use" in row.inner_text() and "68.5" in row.inner_text()
    assert row.locator("svg.sparkline polyline").count() == 1
    page.check(f"#select-{figure.pk}")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Apply to the selected figures").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().strip() == "1 figure approved."
    assert page.get_by_text("Nothing waits for review in your sectors.").is_visible()

    public.goto(f"{loaded_server.url}/en/plans/2020-2023/targets/1.2/")
    assert public.get_by_text("Facts and Figures 2025").count() >= 1
    public.close()
