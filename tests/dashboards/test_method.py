"""The method page: how a status is computed, as a page of the portal in each language, with its
formulas, thresholds and sources; every status badge leads to it."""

import re

import pytest

from indicators.progress import Status

pytestmark = pytest.mark.django_db

# one translated sentence per language, and the heading of the Statistics Canada method
SENTENCES = {
    "en": "The status is computed, not typed in, by one of two published methods.",
    "fr": "Le statut est calculé, et non saisi, selon l'une de deux méthodes publiées.",
    "es": "El estado se calcula, no se introduce a mano, con uno de dos métodos publicados.",
    "ru": "Статус не вводится вручную, а рассчитывается по одному из двух опубликованных методов.",
    "ar": "تُحسب الحالة ولا تُدخل يدوياً، وفق إحدى طريقتين منشورتين.",
    "zh-hans": "状态是计算得出的，而非人工填写，采用两种已发布方法之一。",
}
THRESHOLDS_CAPTION = {
    "en": "Thresholds with a numeric target",
    "fr": "Seuils avec une cible chiffrée",
    "es": "Umbrales con una finalidad numérica",
    "ru": "Пороговые значения при числовой цели",
    "ar": "العتبات مع مقصد رقمي",
    "zh-hans": "有数值目标时的阈值",
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", list(SENTENCES))
def test_method_page_is_a_page_in_each_language(client, language, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the current plan, for the navigation
        response = client.get(f"/{language}/method/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Language"] == language
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    text = text_of(html)
    assert SENTENCES[language] in text
    assert f"<caption>{THRESHOLDS_CAPTION[language]}</caption>" in html
    # no file paths, no program names, no Markdown
    for leftover in ("indicators/progress.py", ".md", ".py", "cagr_observed", "**", "```"):
        assert leftover not in text, leftover


def test_method_page_writes_formulas_as_formulas(client):
    html = client.get("/en/method/").content.decode()
    formulas = re.findall(r'<math display="block" dir="ltr">', html)
    assert len(formulas) == 5  # growth rate, R, the coefficient C, P; the share of the way
    # the growth rate: (v1 / v0) to the power 1 / (t1 - t0), minus 1
    assert (
        "<msup><mrow><mo>(</mo><mfrac><msub><mi>v</mi><mn>1</mn></msub><msub><mi>v</mi>"
        "<mn>0</mn></msub></mfrac><mo>)</mo></mrow><mfrac><mn>1</mn><mrow><msub><mi>t</mi>"
        "<mn>1</mn></msub><mo>−</mo><msub><mi>t</mi><mn>0</mn></msub></mrow></mfrac></msup>"
    ) in html
    assert (
        '<math dir="ltr"><mn>0.6</mn><mo>≤</mo><mi>R</mi><mo>&lt;</mo><mn>0.95</mn></math>' in html
    )
    assert "<var>v<sub>b</sub></var>" in html


def test_method_page_lists_every_status_word_with_its_anchor(client):
    html = client.get("/fr/method/").content.decode()
    for status in Status:
        assert f'<tr id="status-{status}">' in html, status
    assert "Cible atteinte" in html and "La dernière valeur atteint déjà la cible." in text_of(html)


def test_method_page_cites_its_sources_and_includes_the_verdict(client):
    html = client.get("/en/method/").content.decode()
    text = text_of(html)
    assert (
        "United Nations Statistics Division, <cite>SDG Progress Chart 2023, Technical Note</cite>."
        in html
    )
    assert "EUSTAT (the Basque statistics office), its description of the UN method." in text
    assert '<a href="https://github.com/open-sdg/sdg-build">' in html
    assert (
        'id="verdict"' in html
    )  # the verdict of a closed plan, between the rules and the adaptations
    assert html.index('id="shared"') < html.index('id="verdict"') < html.index('id="adaptations"')


def test_method_page_keeps_the_proper_names_of_publications(client):
    html = client.get("/zh-hans/method/").content.decode()
    assert "联合国统计司，<cite>SDG Progress Chart 2023, Technical Note</cite>。" in html


def test_method_page_is_cached_like_the_other_pages(client, django_assert_max_num_queries):
    first = client.get("/es/method/")
    with django_assert_max_num_queries(0):
        again = client.get("/es/method/")
    assert again.content == first.content
    assert client.get("/es/method/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_every_status_badge_leads_to_the_method_page(client):
    method = client.get("/ar/method/").content.decode()
    for address in (
        "/ar/plans/2020-2023/",
        "/ar/plans/2020-2023/goals/1/",
        "/ar/plans/2020-2023/about/",
    ):
        html = client.get(address).content.decode()
        badges = re.findall(r'<a class="status ([\w-]+)[^"]*" href="([^"]+)"', html)
        assert badges, address
        for css, href in badges:
            assert href == f"/ar/method/#{css}", (address, href)
            if css.startswith("status-"):  # the pace statuses: defined in the method's table
                assert f'<tr id="{css}">' in method, css


def test_status_pages_and_footer_link_the_method_page(client):
    target = client.get("/ru/plans/2020-2023/targets/1.2/").content.decode()
    assert '<a href="/ru/method/">Как рассчитывается статус</a>' in target
    about = client.get("/en/plans/2020-2023/about/").content.decode()
    assert (
        '<a href="/en/method/">The method in full, with its formulas, sources and worked '
        "examples</a>"
    ) in about


def test_footer_links_the_api_documentation(client):
    for address in ("/en/", "/zh-hans/method/", "/fr/plans/2020-2023/risks/"):
        html = client.get(address).content.decode()
        assert '<a href="/api/docs/">' in html, address
        assert 'href="/api/v1/"' not in html, address
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
