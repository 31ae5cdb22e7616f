"""The admin in six languages, in a real browser: Arabic typed into a plan element's Arabic box
reads right to left, the other boxes left to right, and the language menu names the tab that is
open."""

import pytest

from frameworks.models import StrategicPlan, Target
from tests.personas import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARABIC = "تعميم النطاق العريض بحلول 2023"


def test_arabic_typed_in_the_admin_reads_right_to_left_and_is_saved(loaded_server, page):
    make_user("editor", "Administrator")
    target = Target.objects.get(plan=StrategicPlan.objects.get(code="2020-2023"), code="1.2")
    page.goto(f"{loaded_server.url}/admin/login/?next=/admin/frameworks/target/{target.pk}/change/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#id_text_ar", state="attached")
    page.wait_for_load_state("load")

    # the menu that switches every field's tab names the tab that is open (English here)
    menu = page.locator("#modeltranslation-main-switch")
    open_tab = page.locator(".ui-tabs-nav").first.locator("li.ui-tabs-active").inner_text()
    assert menu.locator("option:checked").inner_text().strip().lower() == open_tab.strip().lower()

    menu.select_option(label="ar")
    arabic = page.locator("#id_text_ar")
    arabic.wait_for(state="visible")
    arabic.fill(ARABIC)
    direction = arabic.evaluate("box => getComputedStyle(box).direction")
    assert direction == "rtl" and arabic.get_attribute("lang") == "ar"
    # the caret starts at the right edge: the text is laid out from the right
    aligned = arabic.evaluate(
        "box => { const s = getComputedStyle(box); return [s.textAlign, s.direction]; }"
    )
    assert aligned[1] == "rtl" and aligned[0] in ("start", "right")
    english = page.locator("#id_text_en")
    assert english.evaluate("box => getComputedStyle(box).direction") == "ltr"

    page.click("input[name=_save]")
    page.wait_for_load_state()
    target.refresh_from_db()
    assert target.text_ar == ARABIC
