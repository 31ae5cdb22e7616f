"""The secretariat's yearly cycle (issue 17) in a real browser, in English and in Arabic: a
reporter signs in and lands on their desk, reports the figure it says is missing with a PDF
attached and records an output's delivery; the sector's reviewer is told by e-mail (read back
from a real SMTP server), discusses the figure and approves both; the public pages then show the
public evidence and the output delivered; an administrator records a risk assessment and the
risks page shows it on the heat map."""

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import Observation, OutputDelivery
from risks.models import RiskAssessment
from tests.notifications.conftest import inbox, smtp_server  # noqa: F401 - fixtures
from tests.personas import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# the smallest PDF readers accept: the evidence's type is read from its content
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NARRATIVE = {
    "en": "Three regional workshops held; the toolkit is published.",
    "ar": "عُقدت ثلاث حلقات عمل إقليمية ونُشرت مجموعة الأدوات.",
}


def url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def sign_in(page, server, language, username):
    """As staff do: the public footer's "Staff sign-in", then the sign-in form."""
    page.goto(f"{server.url}/{language}/")
    page.locator(f'footer a[href="{url(language, "workspace:home")}"]').click()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{url(language, 'workspace:home')}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_reporter_and_reviewer_through_the_years_cycle(
    language,
    loaded_server,
    browser,
    inbox,  # noqa: F811 - the fixture imported above
):
    make_user("ana", "Reporter", ["ITU-D"])
    make_user("rui", "Reviewer", ["ITU-D"])
    make_user("ada", "Administrator")
    server = loaded_server
    reporter = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # --- the reporter's desk says what is missing, and links to the form filled in ---
    sign_in(reporter, server, language, "ana")
    assert reporter.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    missing = reporter.locator('a[href*="indicator=1.2-internet-use&"]')
    assert missing.count() == 1
    missing.click()
    assert reporter.input_value("#id_indicator") == "1.2-internet-use"
    year = reporter.input_value("#id_year")
    for field, value in {
        # as the page's language writes numbers (Arabic in Django: a comma before decimals)
        "value": "68,5" if language == "ar" else "68.5",
        "publisher": "ITU",
        "publication": "Facts and Figures 2025",
        "source": "ITU Facts and Figures 2025",
        "edition": "Facts and Figures 2025",
    }.items():
        reporter.fill(f"#id_{field}", value)
    reporter.locator("main form button[type=submit]").click()
    reporter.wait_for_url(f"**{url(language, 'workspace:figures')}")
    figure = Observation.objects.get(indicator__code="1.2-internet-use", year=int(year))
    assert figure.status == "submitted"

    # --- a PDF attached to it, public once approved ---
    reporter.locator(f'a[href="{url(language, "workspace:discussion", figure.pk)}"]').click()
    reporter.fill("#id_evidence-title", "ITU Facts and Figures 2025, p. 3")
    reporter.set_input_files(
        "#id_evidence-file", {"name": "facts.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    reporter.check("#id_evidence-is_public")
    reporter.locator("form.evidence-form button[type=submit]").click()
    reporter.wait_for_load_state()
    assert figure.evidence.get().kind == "pdf"

    # --- an output's delivery, from the desk ---
    reporter.goto(f"{server.url}{url(language, 'workspace:home')}")
    reporter.locator(
        f'a[href^="{url(language, "workspace:delivery_record")}?output="]'
    ).first.click()
    output_code = reporter.input_value("#id_output")
    reporter.check('input[name="delivery"][value="delivered"]')
    reporter.fill("#id_narrative", NARRATIVE[language])
    reporter.locator("main form button[type=submit]").click()
    reporter.wait_for_load_state()
    record = OutputDelivery.objects.get(output__code=output_code)
    # kept in the language it was written in (the page's, by default)
    assert record.status == "submitted"
    assert getattr(record, f"narrative_{language}") == NARRATIVE[language]

    # --- the reviewer is told, by e-mail, of both ---
    told = inbox.to("rui@example.org")
    assert len(told) == 2, [message["Subject"] for message in told]
    bodies = " ".join(message.get_body().get_content() for message in told)
    assert "1.2-internet-use" in bodies and output_code in bodies

    # --- the reviewer discusses the figure and approves both ---
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(reviewer, server, language, "rui")
    reviewer.locator(f'main a[href="{url(language, "workspace:review")}"]').first.click()
    reviewer.locator(f'#figure-{figure.pk} a[href$="/discussion/"]').click()
    assert reviewer.get_by_text("ITU Facts and Figures 2025, p. 3").count() >= 1
    reviewer.fill("#id_comment-text", "Page 3 confirms 68.5. Approving.")
    reviewer.locator("form.comment-form button[type=submit]").click()
    reviewer.wait_for_load_state()
    assert reviewer.get_by_text("Page 3 confirms 68.5. Approving.").is_visible()
    reviewer.goto(f"{server.url}{url(language, 'workspace:review')}")
    reviewer.check(f"#select-{figure.pk}")
    reviewer.locator('input[name="decision"][value="approve"]').check()
    reviewer.locator(f"#select-{figure.pk}").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    reviewer.wait_for_load_state()
    reviewer.check(f"#select-delivery-{record.pk}")
    reviewer.locator('input[name="delivery-decision"][value="approve"]').check()
    reviewer.locator(f"#select-delivery-{record.pk}").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    reviewer.wait_for_load_state()
    figure.refresh_from_db()
    record.refresh_from_db()
    assert (figure.status, record.status) == ("approved", "approved")
    assert len(inbox.to("ana@example.org")) >= 1  # the reporter is told of the approvals

    # --- the public pages ---
    public = browser.new_context().new_page()
    public.goto(f"{server.url}/{language}/plans/2020-2023/targets/1.2/")
    evidence = public.locator("table.evidence")
    assert "ITU Facts and Figures 2025, p. 3" in evidence.inner_text()
    public.goto(f"{server.url}/{language}/plans/2020-2023/objectives/")
    delivered = public.locator(".output-delivery", has_text=NARRATIVE[language])
    assert delivered.count() == 1

    # --- an administrator records a risk assessment; the risks page shows it ---
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(admin, server, language, "ada")
    admin.goto(f"{server.url}{reverse('admin:risks_riskassessment_add')}")
    admin.select_option("#id_risk", index=1)
    admin.fill("#id_year", "2023")
    admin.fill("#id_likelihood", "4")
    admin.fill("#id_impact", "5")
    admin.select_option("#id_trend", "rising")
    admin.fill("#id_owner_en", "General Secretariat")
    admin.select_option("#id_mitigation_status", "under_way")
    admin.click("input[name=_save]")
    admin.wait_for_load_state()
    assessment = RiskAssessment.objects.get(year=2023)
    public.goto(f"{server.url}/{language}/plans/2020-2023/risks/")
    marker = public.locator(".heat-map td.severity-very-high .risk-marker")
    assert marker.inner_text() == str(assessment.risk.number)
