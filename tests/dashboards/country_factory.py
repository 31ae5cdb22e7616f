"""Small country data for the country pages' tests, made as the loader will make the real data
(load_countries, load_statistics, compute_aggregates): Member States with their ITU region, UN
names and groups; series with a leading ITU release, a later World Bank release that restates a
few years, and the portal's computed aggregates for the regions and the world; the plan's
indicators linked to the series (Indicator.country_series).

Figures that the tests check against the real files (shared/data/countries/README.md): Norway's
Internet use 99 in 2021, Kenya's 4G coverage 77 in 2020.
"""

from datetime import date

from indicators.models import Geography, Indicator, Release, Series, Statistic
from tests.conftest import set_aside_country_data

PLAN = "2020-2023"

# code: (region, UN names by language, formal name in English, groups)
COUNTRIES = {
    "NOR": ("ITU-EUR", {"en": "Norway", "fr": "Norvège", "es": "Noruega", "ru": "Норвегия",
                        "ar": "النرويج", "zh_hans": "挪威"}, "the Kingdom of Norway", ()),
    "SWE": ("ITU-EUR", {"en": "Sweden", "fr": "Suède"}, "the Kingdom of Sweden", ()),
    "ALB": ("ITU-EUR", {"en": "Albania", "fr": "Albanie"}, "the Republic of Albania", ()),
    "KEN": ("ITU-AFR", {"en": "Kenya", "fr": "Kenya", "zh_hans": "肯尼亚", "ar": "كينيا"},
            "the Republic of Kenya", ()),
    "NER": ("ITU-AFR", {"en": "Niger", "fr": "Niger"}, "the Republic of the Niger",
            ("LDC", "LLDC")),
    "CPV": ("ITU-AFR", {"en": "Cabo Verde", "fr": "Cabo Verde"}, "the Republic of Cabo Verde",
            ("SIDS",)),
}  # fmt: skip

# The real country data loaded in every test session is set aside for the factory's (tests/
# conftest.py); the factory's series still carry codes of their own, so that no test reads a
# real series by mistake.
SUFFIX = "-factory"


def series_code(code: str) -> str:
    return f"{code}{SUFFIX}"


# series code: (indicator codes of the plan it measures, unit, direction, name)
SERIES = {
    "internet-use": (("1.2-internet-use",), "percent", "increase",
                     "Individuals using the Internet"),
    "mobile-4g-coverage": (("2.7-4g-coverage",), "percent", "increase", "4G population coverage"),
    "households-internet": (("1.1-households-internet",), "percent", "increase",
                            "Households with Internet access at home"),
    "mobile-broadband-price": (("1.3-mobile-broadband-price",), "percent_gni", "decrease",
                               "Mobile-broadband basket, % of GNI per capita"),
}  # fmt: skip

# country -> series -> {year: value} (totals, leading release)
FIGURES = {
    "NOR": {
        "internet-use": {2017: 96.5, 2018: 96.5, 2019: 98.0, 2020: 97.0, 2021: 99.0},
        "mobile-4g-coverage": {2019: 99.0, 2020: 99.9},
        "households-internet": {2017: 97.0, 2019: 98.0},
        "mobile-broadband-price": {2017: 0.5, 2019: 0.36, 2021: 0.3},
    },
    "SWE": {
        "internet-use": {2019: 94.5, 2020: 94.5, 2021: 99.0},
        "mobile-4g-coverage": {2020: 99.9},
        "mobile-broadband-price": {2021: 0.3},
    },
    "ALB": {"internet-use": {2021: 79.3}, "mobile-broadband-price": {2021: 1.8}},
    "KEN": {
        "internet-use": {2017: 17.8, 2019: 22.6, 2020: 29.5},
        "mobile-4g-coverage": {2017: 27.0, 2018: 60.0, 2019: 69.0, 2020: 77.0},
        "mobile-broadband-price": {2017: 6.0, 2019: 3.3, 2021: 2.6},
    },
    "NER": {
        "internet-use": {2017: 10.2, 2020: 15.0},
        "mobile-4g-coverage": {2020: 20.0},
        "mobile-broadband-price": {2021: 22.7},
    },
    "CPV": {"internet-use": {2020: 64.5}, "mobile-4g-coverage": {2020: 77.0}},
}

# breakdowns of the leading release: (country, series, year, sex, age, area, value)
BREAKDOWNS = [
    ("NOR", "internet-use", 2019, "F", "_T", "_T", 97.5),
    ("NOR", "internet-use", 2019, "M", "_T", "_T", 98.4),
    ("NOR", "internet-use", 2020, "F", "_T", "_T", 97.0),
    ("NOR", "internet-use", 2020, "M", "_T", "_T", 97.2),
    ("NOR", "internet-use", 2019, "_T", "Y15T24", "_T", 99.6),
    ("NOR", "internet-use", 2019, "_T", "Y_GE75", "_T", 72.0),
    ("NOR", "households-internet", 2019, "_T", "_T", "U", 98.5),
    ("NOR", "households-internet", 2019, "_T", "_T", "R", 96.9),
    ("KEN", "internet-use", 2019, "F", "_T", "_T", 19.0),
    ("KEN", "internet-use", 2019, "M", "_T", "_T", 26.0),
]

# the World Bank's later edition restates these country-years: (country, series, year, value)
RESTATED = [("NOR", "internet-use", 2020, 97.5), ("NOR", "internet-use", 2021, 98.8)]

ESTIMATES = {("NOR", "internet-use", 2021), ("KEN", "internet-use", 2020)}

# the portal's population-weighted aggregates: region/world -> series -> {year: (value, coverage)}
AGGREGATES = {
    "ITU-EUR": {"internet-use": {2019: 83.0, 2020: 84.9, 2021: 87.0}},
    "ITU-AFR": {
        "internet-use": {2019: 26.0, 2020: 29.0},
        "mobile-4g-coverage": {2019: 35.0, 2020: 44.0},
    },
    "WLD": {
        "internet-use": {2019: 54.0, 2020: 60.0, 2021: 63.0},
        "mobile-4g-coverage": {2019: 81.0, 2020: 85.0},
    },
}


def _release(series, publisher, publication, edition, released_on, **extra) -> Release:
    return Release.objects.create(
        series=series,
        publisher=publisher,
        publication=publication,
        edition=edition,
        released_on=released_on,
        source="tests/dashboards/country_factory.py",
        **extra,
    )


def member_states() -> dict[str, Geography]:
    """The factory's countries as Member States with region, UN names and groups (and no
    others: the session's real country data is set aside for the test)."""
    set_aside_country_data()
    by_code = {g.code: g for g in Geography.objects.filter(code__in=list(COUNTRIES))}
    regions = {g.code: g for g in Geography.objects.regions()}
    groups = {g.code: g for g in Geography.objects.filter(code__in=["LDC", "LLDC", "SIDS"])}
    for code, (region, names, formal, memberships) in COUNTRIES.items():
        country = by_code[code]
        country.is_member_state = True
        country.region = regions[region]
        for language, name in names.items():
            setattr(country, f"name_{language}", name)
        country.formal_name_en = formal
        if code == "NOR":
            country.formal_name_fr = "le Royaume de Norvège"
        country.save()
        for group in memberships:
            groups[group].members.add(country)
    return by_code


def build(*, extra_years: int = 0, extra_releases: int = 0, extra_series: int = 0) -> dict:
    """Loads the factory's data; the extras grow it (more years before 2017, more restating
    releases, more series linked to more of the plan's indicators) for the query-count test."""
    countries = member_states()
    aggregates = {g.code: g for g in Geography.objects.filter(code__in=list(AGGREGATES))}
    indicators = {i.code: i for i in Indicator.objects.filter(plan__code=PLAN)}
    series_specs = dict(SERIES)
    spare = [
        code
        for code in indicators
        if not any(code in spec[0] for spec in SERIES.values())
        and indicators[code].target_kind != "parity"
    ]
    for number in range(extra_series):
        series_specs[f"extra-series-{number}"] = (
            (spare[number],),
            "percent",
            "increase",
            f"Extra {number}",
        )
    made = {}
    rows = []
    for order, (code, (indicator_codes, unit, direction, name)) in enumerate(series_specs.items()):
        series = Series.objects.create(
            code=series_code(code), order=order, name=name, unit=unit, direction=direction
        )
        made[code] = series
        for indicator_code in indicator_codes:
            Indicator.objects.filter(pk=indicators[indicator_code].pk).update(country_series=series)
        leading = _release(
            series,
            "ITU",
            "World Telecommunication/ICT Indicators Database",
            "January 2022",
            date(2022, 1, 31),
            is_leading=True,
        )
        later = _release(
            series,
            "World Bank",
            "World Development Indicators",
            "November 2024",
            date(2024, 11, 1),
        )
        computed = _release(
            series,
            "ITU RBM portal",
            "Aggregates computed by the portal",
            "test",
            date(2026, 1, 1),
            is_computed=True,
        )
        extra = [
            _release(series, "Archive", "Old edition", f"{number}", date(2000 + number, 1, 1))
            for number in range(extra_releases)
        ]
        source = FIGURES if not code.startswith("extra") else {"NOR": {2019: 50.0, 2021: 60.0}}
        for country_code, by_series in source.items():
            values = by_series.get(code, {}) if not code.startswith("extra") else by_series
            for year, value in values.items():
                rows.append(
                    Statistic(
                        release=leading,
                        geography=countries[country_code],
                        year=year,
                        value=value,
                        is_estimate=(country_code, code, year) in ESTIMATES,
                    )
                )
            for year in range(2017 - extra_years, 2017):
                rows.append(
                    Statistic(
                        release=leading, geography=countries[country_code], year=year, value=5.0
                    )
                )
            for release in extra:
                for year, value in values.items():
                    rows.append(
                        Statistic(
                            release=release,
                            geography=countries[country_code],
                            year=year,
                            value=value - 1,
                        )
                    )
        for country_code, breakdown_series, year, sex, age, area, value in BREAKDOWNS:
            if breakdown_series == code:
                rows.append(
                    Statistic(
                        release=leading,
                        geography=countries[country_code],
                        year=year,
                        sex=sex,
                        age=age,
                        area=area,
                        value=value,
                    )
                )
        for country_code, breakdown_series, year, value in RESTATED:
            if breakdown_series == code:
                rows.append(
                    Statistic(
                        release=later, geography=countries[country_code], year=year, value=value
                    )
                )
        for geography_code, by_series in AGGREGATES.items():
            for year, value in by_series.get(code, {}).items():
                rows.append(
                    Statistic(
                        release=computed,
                        geography=aggregates[geography_code],
                        year=year,
                        value=value,
                        coverage=0.9,
                    )
                )
    Statistic.objects.bulk_create(rows)
    return {"countries": countries, "series": made}


def more_countries(count: int, region_code: str = "ITU-EUR") -> list[Geography]:
    """`count` more Member States in a region, each with figures of every factory series (the
    peers grow)."""
    region = Geography.objects.get(code=region_code)
    spare = list(
        Geography.objects.countries()
        .filter(is_member_state=False)
        .exclude(code__in=list(COUNTRIES))
        .order_by("code")[:count]
    )
    leading = {
        r.series.code: r
        for r in Release.objects.leading()
        .filter(series__code__endswith=SUFFIX)
        .select_related("series")
    }
    rows = []
    for number, country in enumerate(spare):
        country.is_member_state = True
        country.region = region
        country.save()
        for release in leading.values():
            for year in (2019, 2020, 2021):
                rows.append(
                    Statistic(release=release, geography=country, year=year, value=50.0 + number)
                )
    Statistic.objects.bulk_create(rows)
    return spare
