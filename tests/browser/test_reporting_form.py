"""A reporter, in a real browser and in French, reports figures as French writes numbers: "407,5"
is 407.5; "1,234" reads two ways and the form asks which is meant; beside the value, the unit,
the expected range and the last approved figure follow the chosen indicator; a double click on
the button sends the figure once."""

from decimal import Decimal

import pytest

from indicators.models import Observation
from tests.personas import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = "/fr/workspace/figures/new/"
BUTTON = "form.figure-form button[type=submit]"


def fill(page, *, value: str, edition: str) -> None:
    """Every field of the form, as a reporter types them (the citation's where the form has it)."""
    page.select_option("select[name=indicator]", "1.2-internet-users-millions")
    page.select_option("select[name=geography]", "ATG")
    page.fill("input[name=year]", "2022")
    page.fill("input[name=value]", value)
    texts = {
        "publisher": "UIT",
        "publication": "Mesurer le développement numérique",
        "source": "Rapport national transmis à l'UIT",
        "edition": edition,
    }
    for name, text in texts.items():
        field = page.locator(f"input[name={name}]")
        if field.count():
            field.fill(text)


def sign_in(page, server) -> None:
    make_user("lea", "Reporter", ["ITU-D"])
    page.goto(f"{server.url}/admin/login/?next={FORM}")
    page.fill("#id_username", "lea")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{FORM}")


def test_a_reporter_types_numbers_as_french_writes_them(loaded_server, page):
    sign_in(page, loaded_server)
    context = page.locator("#figure-context")
    assert context.locator("[data-part=unit]").inner_text() == "—"
    # the context follows the choice of indicator and geography (static/js/figure-form.js)
    page.select_option("select[name=indicator]", "1.2-internet-use")
    assert context.locator("[data-part=unit]").inner_text() == "pour cent"
    assert context.locator("[data-part=range]").inner_text() == "0 – 100"
    page.select_option("select[name=indicator]", "1.2-internet-users-millions")
    page.select_option("select[name=geography]", "ATG")
    assert context.locator("[data-part=unit]").inner_text() == "millions"
    assert context.locator("[data-part=range]").inner_text() == "0 ou plus"
    assert context.locator("[data-part=latest]").inner_text() == "pas encore de donnée approuvée"

    # "407,5" is 407.5, not 4075
    fill(page, value="407,5", edition="Essai 1")
    page.click(BUTTON)
    page.wait_for_url("**/fr/workspace/figures/")
    assert Observation.objects.get(edition="Essai 1").value == Decimal("407.5")

    # "1,234" reads two ways: the form asks, and keeps what was typed
    page.goto(f"{loaded_server.url}{FORM}")
    fill(page, value="1,234", edition="Essai 2")
    page.click(BUTTON)
    page.wait_for_load_state()
    assert not Observation.objects.filter(edition="Essai 2").exists()
    question = page.get_by_role("group", name="Quel nombre voulez-vous dire ?")
    assert question.is_visible()
    assert page.input_value("input[name=value]") == "1,234"
    assert page.input_value("input[name=edition]") == "Essai 2"
    assert page.input_value("select[name=indicator]") == "1.2-internet-users-millions"
    page.get_by_label("1\xa0234 — « , » sépare les milliers").check()
    page.click(BUTTON)
    page.wait_for_url("**/fr/workspace/figures/")
    assert Observation.objects.get(edition="Essai 2").value == Decimal("1234")


def test_a_double_click_on_the_button_sends_the_figure_once(loaded_server, page):
    sign_in(page, loaded_server)
    fill(page, value="12,5", edition="Essai 3")
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    page.dblclick(BUTTON)
    page.wait_for_url("**/fr/workspace/figures/")
    page.wait_for_load_state()
    assert len(posts) == 1
    assert Observation.objects.filter(edition="Essai 3").count() == 1
    assert page.get_by_role("status").inner_text().strip() == (
        "1.2-internet-users-millions · ATG · 2022 a été soumise pour examen."
    )
