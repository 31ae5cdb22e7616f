"""Build fixtures/indicators/geographies.json: the aggregates and every ISO 3166-1 country.

A maintainer's tool, run by hand when the geographies change; the portal never imports it.
pycountry is NOT a runtime dependency of the portal: install it in a scratch venv only:

    python3 -m venv /tmp/geo && /tmp/geo/bin/pip install pycountry
    /tmp/geo/bin/python scripts/build_geographies.py

Re-runnable: the output depends only on the pycountry version and the constants below.

- Countries and territories: every entry of ISO 3166-1 in pycountry, by alpha-3 code. English is
  the ISO short name (pycountry's ``name``, e.g. "Korea, Republic of"); ar, es, fr, ru and zh-hans
  are the iso-codes translations of that name shipped in pycountry (gettext domain "iso3166-1",
  locales ar, es, fr, ru, zh_CN). A missing translation falls back to English and is said in the
  country's ``source``.
- Aggregates: names written for the portal; memberships only where a dated UN list is known
  (LDC, LLDC, SIDS), else ``members: []`` with the reason in ``source``.
"""

from __future__ import annotations

import gettext
import json
from importlib.metadata import version
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "indicators" / "geographies.json"
LOCALES = {
    "ar": "ar",
    "es": "es",
    "fr": "fr",
    "ru": "ru",
    "zh-hans": "zh_CN",
}  # portal code -> iso-codes locale
LANGS = ["en", "zh-hans", "fr", "es", "ru", "ar"]

# UN list of least developed countries as of December 2023: 45, after Bhutan's graduation on
# 13 Dec 2023 (Vanuatu graduated 4 Dec 2020; Sao Tome and Principe and Solomon Islands graduate
# in Dec 2024 and are still listed).
LDC = [
    # Africa (33)
    "AGO",
    "BEN",
    "BFA",
    "BDI",
    "CAF",
    "TCD",
    "COM",
    "COD",
    "DJI",
    "ERI",
    "ETH",
    "GMB",
    "GIN",
    "GNB",
    "LSO",
    "LBR",
    "MDG",
    "MWI",
    "MLI",
    "MRT",
    "MOZ",
    "NER",
    "RWA",
    "STP",
    "SEN",
    "SLE",
    "SOM",
    "SSD",
    "SDN",
    "TGO",
    "UGA",
    "TZA",
    "ZMB",
    # Asia (8)
    "AFG",
    "BGD",
    "KHM",
    "LAO",
    "MMR",
    "NPL",
    "TLS",
    "YEM",
    # Americas (1)
    "HTI",
    # Pacific (3)
    "KIR",
    "SLB",
    "TUV",
]
# UN-OHRLLS list of landlocked developing countries (32), as in force in 2023.
LLDC = [
    "AFG",
    "ARM",
    "AZE",
    "BTN",
    "BOL",
    "BWA",
    "BFA",
    "BDI",
    "CAF",
    "TCD",
    "SWZ",
    "ETH",
    "KAZ",
    "KGZ",
    "LAO",
    "LSO",
    "MWI",
    "MLI",
    "MNG",
    "NPL",
    "NER",
    "MKD",
    "PRY",
    "MDA",
    "RWA",
    "SSD",
    "TJK",
    "TKM",
    "UGA",
    "UZB",
    "ZMB",
    "ZWE",
]
# SIDS as the UN M49 file flags them (fixtures/countries/un-m49-country-codes.csv), the one
# source of truth that load_countries also reads: 37 UN Member States + 16 others (53). The
# UN-OHRLLS 2017 factsheet also had BHR, BMU, CYM, GLP, MTQ and TCA, and not BES.
SIDS_UN = [
    # Caribbean (16)
    "ATG",
    "BHS",
    "BRB",
    "BLZ",
    "CUB",
    "DMA",
    "DOM",
    "GRD",
    "GUY",
    "HTI",
    "JAM",
    "KNA",
    "LCA",
    "VCT",
    "SUR",
    "TTO",
    # Pacific (13)
    "FSM",
    "FJI",
    "KIR",
    "MHL",
    "NRU",
    "PLW",
    "PNG",
    "WSM",
    "SLB",
    "TLS",
    "TON",
    "TUV",
    "VUT",
    # Atlantic, Indian Ocean and South China Sea (8)
    "CPV",
    "COM",
    "GNB",
    "MDV",
    "MUS",
    "STP",
    "SYC",
    "SGP",
]
SIDS_NON_UN = [
    # Caribbean (9)
    "AIA",
    "ABW",
    "BES",
    "VGB",
    "CUW",
    "MSR",
    "PRI",
    "SXM",
    "VIR",
    # Pacific (7)
    "ASM",
    "MNP",
    "COK",
    "PYF",
    "GUM",
    "NCL",
    "NIU",
]

NOT_LOADED_DEV = (
    "ITU's developed/developing grouping (ITU's own list, derived from the UN M49 'developed "
    "regions' convention; used by ITU up to its 2019 releases). That list is not loaded here, so "
    "members are []. Names written for the portal."
)
NOT_LOADED_INCOME = (
    "World Bank income classification (code {code}), revised every 1 July; ITU and the World "
    "Bank aggregate with the classification of the data year. The yearly lists are not loaded "
    "here, so members are []. Names written for the portal."
)
NOT_LOADED_ITU = (
    "ITU BDT (ITU-D) regional classification; membership not loaded: the exact country list "
    "could not be checked here, so members are []. Names written for the portal."
)

AGGREGATES = [
    (
        "WLD",
        "world",
        {
            "en": "World",
            "zh-hans": "世界",
            "fr": "Monde",
            "es": "Mundo",
            "ru": "Мир",
            "ar": "العالم",
        },
        [],
        "The whole world; members are not enumerated (every geography). "
        "Names written for the portal.",
    ),
    (
        "DEVD",
        "development_group",
        {
            "en": "Developed countries",
            "zh-hans": "发达国家",
            "fr": "Pays développés",
            "es": "Países desarrollados",
            "ru": "Развитые страны",
            "ar": "البلدان المتقدمة",
        },
        [],
        NOT_LOADED_DEV,
    ),
    (
        "DEVG",
        "development_group",
        {
            "en": "Developing countries",
            "zh-hans": "发展中国家",
            "fr": "Pays en développement",
            "es": "Países en desarrollo",
            "ru": "Развивающиеся страны",
            "ar": "البلدان النامية",
        },
        [],
        NOT_LOADED_DEV,
    ),
    (
        "LDC",
        "development_group",
        {
            "en": "Least developed countries",
            "zh-hans": "最不发达国家",
            "fr": "Pays les moins avancés",
            "es": "Países menos adelantados",
            "ru": "Наименее развитые страны",
            "ar": "أقل البلدان نموا",
        },
        LDC,
        "UN list of least developed countries as of December 2023 (UN-OHRLLS / UN DESA): 45 "
        "countries, after Bhutan graduated on 13 Dec 2023 (Vanuatu graduated 4 Dec 2020; Sao Tome "
        "and Principe and Solomon Islands, graduating Dec 2024, still listed). ITU figures for "
        "earlier years aggregate the list in force at the time (e.g. 47 LDCs in 2019). Names "
        "written for the portal.",
    ),
    (
        "LLDC",
        "development_group",
        {
            "en": "Landlocked developing countries",
            "zh-hans": "内陆发展中国家",
            "fr": "Pays en développement sans littoral",
            "es": "Países en desarrollo sin litoral",
            "ru": "Развивающиеся страны, не имеющие выхода к морю",
            "ar": "البلدان النامية غير الساحلية",
        },
        LLDC,
        "UN-OHRLLS list of landlocked developing countries as in force in 2023: 32 countries. "
        "Names written for the portal.",
    ),
    (
        "SIDS",
        "development_group",
        {
            "en": "Small island developing States",
            "zh-hans": "小岛屿发展中国家",
            "fr": "Petits États insulaires en développement",
            "es": "Pequeños Estados insulares en desarrollo",
            "ru": "Малые островные развивающиеся государства",
            "ar": "الدول الجزرية الصغيرة النامية",
        },
        SIDS_UN + SIDS_NON_UN,
        "UN M49 list of small island developing States as flagged in the UN Statistics "
        "Division's M49 file (fixtures/countries/un-m49-country-codes.csv): 53 countries and "
        "territories, 36 of them ITU Member States. The M49 file is the one source of truth for "
        "LDC, LLDC and SIDS: load_countries sets the same lists from it (the earlier UN-OHRLLS "
        "2017 factsheet list of 58 also counted Bahrain, Bermuda, the Cayman Islands, "
        "Guadeloupe, Martinique and the Turks and Caicos Islands, and not Bonaire, Sint "
        "Eustatius and Saba). ITU's SIDS aggregate may use its own list. Names written for the "
        "portal.",
    ),
    (
        "HIC",
        "income_group",
        {
            "en": "High-income economies",
            "zh-hans": "高收入经济体",
            "fr": "Économies à revenu élevé",
            "es": "Economías de ingreso alto",
            "ru": "Страны с высоким уровнем дохода",
            "ar": "الاقتصادات المرتفعة الدخل",
        },
        [],
        NOT_LOADED_INCOME.format(code="HIC"),
    ),
    (
        "UMC",
        "income_group",
        {
            "en": "Upper-middle-income economies",
            "zh-hans": "中等偏上收入经济体",
            "fr": "Économies à revenu intermédiaire (tranche supérieure)",
            "es": "Economías de ingreso mediano alto",
            "ru": "Страны с уровнем дохода выше среднего",
            "ar": "الاقتصادات ذات الدخل المتوسط الأعلى",
        },
        [],
        NOT_LOADED_INCOME.format(code="UMC"),
    ),
    (
        "LMC",
        "income_group",
        {
            "en": "Lower-middle-income economies",
            "zh-hans": "中等偏下收入经济体",
            "fr": "Économies à revenu intermédiaire (tranche inférieure)",
            "es": "Economías de ingreso mediano bajo",
            "ru": "Страны с уровнем дохода ниже среднего",
            "ar": "الاقتصادات ذات الدخل المتوسط الأدنى",
        },
        [],
        NOT_LOADED_INCOME.format(code="LMC"),
    ),
    (
        "LIC",
        "income_group",
        {
            "en": "Low-income economies",
            "zh-hans": "低收入经济体",
            "fr": "Économies à faible revenu",
            "es": "Economías de ingreso bajo",
            "ru": "Страны с низким уровнем дохода",
            "ar": "الاقتصادات المنخفضة الدخل",
        },
        [],
        NOT_LOADED_INCOME.format(code="LIC"),
    ),
    (
        "LMY",
        "income_group",
        {
            "en": "Low- and middle-income economies",
            "zh-hans": "低收入和中等收入经济体",
            "fr": "Économies à revenu faible ou intermédiaire",
            "es": "Economías de ingreso bajo y mediano",
            "ru": "Страны с низким и средним уровнем дохода",
            "ar": "الاقتصادات المنخفضة والمتوسطة الدخل",
        },
        [],
        NOT_LOADED_INCOME.format(code="LMY") + " LMY = LIC + LMC + UMC; the World Bank's "
        "Global Findex calls this group 'developing economies'.",
    ),
    (
        "ITU-AFR",
        "region",
        {
            "en": "Africa",
            "zh-hans": "非洲",
            "fr": "Afrique",
            "es": "África",
            "ru": "Африка",
            "ar": "أفريقيا",
        },
        [],
        NOT_LOADED_ITU,
    ),
    (
        "ITU-AMS",
        "region",
        {
            "en": "Americas",
            "zh-hans": "美洲",
            "fr": "Amériques",
            "es": "Américas",
            "ru": "Америка",
            "ar": "الأمريكتان",
        },
        [],
        NOT_LOADED_ITU,
    ),
    (
        "ITU-ARB",
        "region",
        {
            "en": "Arab States",
            "zh-hans": "阿拉伯国家",
            "fr": "États arabes",
            "es": "Estados Árabes",
            "ru": "Арабские государства",
            "ar": "الدول العربية",
        },
        [],
        NOT_LOADED_ITU,
    ),
    (
        "ITU-ASP",
        "region",
        {
            "en": "Asia and the Pacific",
            "zh-hans": "亚洲及太平洋",
            "fr": "Asie-Pacifique",
            "es": "Asia y el Pacífico",
            "ru": "Азиатско-Тихоокеанский регион",
            "ar": "آسيا والمحيط الهادئ",
        },
        [],
        NOT_LOADED_ITU,
    ),
    (
        "ITU-CIS",
        "region",
        {
            "en": "Commonwealth of Independent States (CIS)",
            "zh-hans": "独立国家联合体（独联体）",
            "fr": "Communauté des États indépendants (CEI)",
            "es": "Comunidad de Estados Independientes (CEI)",
            "ru": "Содружество Независимых Государств (СНГ)",
            "ar": "كومنولث الدول المستقلة",
        },
        [],
        NOT_LOADED_ITU,
    ),
    (
        "ITU-EUR",
        "region",
        {
            "en": "Europe",
            "zh-hans": "欧洲",
            "fr": "Europe",
            "es": "Europa",
            "ru": "Европа",
            "ar": "أوروبا",
        },
        [],
        NOT_LOADED_ITU,
    ),
]


def build() -> list[dict]:
    pyc_version = version("pycountry")
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[loc])
        for lang, loc in LOCALES.items()
    }
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)
    iso3 = {c.alpha_3 for c in countries}

    geos: list[dict] = []
    for code, kind, names, members, source in AGGREGATES:
        assert set(names) == set(LANGS), code
        unknown = set(members) - iso3
        assert not unknown, (code, unknown)
        assert len(members) == len(set(members)), code
        geos.append(
            {
                "code": code,
                "kind": kind,
                "name": {lang: names[lang] for lang in LANGS},
                "members": sorted(members),
                "source": source,
            }
        )
    assert len(LDC) == 45 and len(LLDC) == 32 and len(SIDS_UN) == 37 and len(SIDS_NON_UN) == 16

    base_source = (
        f"ISO 3166-1 alpha-3 code and English short name; ar, es, fr, ru and zh-hans names from "
        f"the iso-codes translations (domain iso3166-1) shipped in pycountry {pyc_version}"
    )
    for c in countries:
        names = {"en": c.name}
        missing = []
        for lang, tr in translations.items():
            translated = tr._catalog.get(
                c.name
            )  # no entry = no translation (gettext would echo the msgid)
            if translated:
                names[lang] = translated
            else:
                names[lang] = c.name
                missing.append(lang)
        source = base_source
        if missing:
            source += f"; no iso-codes translation for {', '.join(missing)}: English name used"
        geos.append(
            {
                "code": c.alpha_3,
                "kind": "country",
                "name": {lang: names[lang] for lang in LANGS},
                "source": source,
            }
        )
    codes = [g["code"] for g in geos]
    assert len(codes) == len(set(codes))
    return geos


def main() -> None:
    geos = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(geos, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    n_countries = sum(g["kind"] == "country" for g in geos)
    print(
        f"wrote {OUT}: {len(geos)} geographies ({len(geos) - n_countries} aggregates, "
        f"{n_countries} countries and territories)"
    )


if __name__ == "__main__":
    main()
