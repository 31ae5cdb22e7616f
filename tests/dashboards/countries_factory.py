"""Small country data for the map's tests: a few Member States in each ITU region (on top of the
geographies the session loads), an Internet-use series with two published releases and the
portal's computed aggregates, linked to the plan's Internet-use indicators. Real data comes from
the loader's commands; these numbers are made up, but chosen so that each test can say exactly
what the page must show.
"""

from dataclasses import dataclass, field
from datetime import date

from indicators.models import Geography, Indicator, Release, Series, Statistic
from tests.conftest import set_aside_country_data

# ITU region -> Member States (ISO3) the factory marks as such
MEMBER_STATES = {
    "ITU-EUR": ("NOR", "FRA", "DEU"),
    "ITU-AFR": ("KEN", "NER", "NGA"),
    "ITU-AMS": ("USA", "BRA", "HTI"),
    "ITU-ARB": ("EGY", "SAU"),
    "ITU-ASP": ("CHN", "IND", "AFG", "FJI"),
    "ITU-CIS": ("RUS", "KAZ"),
}
# what the session's geographies.json lacks: LLDC and SIDS members among the states above
GROUPS = {"LLDC": ("NER", "AFG", "KAZ"), "SIDS": ("HTI", "FJI")}
YEARS = range(2017, 2022)
INTERNET_SERIES = "internet-use-test"

# Internet use in 2017 and its yearly growth, in percentage points: Norway reaches 65% (the
# plan's target 1.2) every year, Niger never does.
START = {
    "NOR": 96.0, "FRA": 80.0, "DEU": 84.0, "KEN": 17.0, "NER": 5.0, "NGA": 27.0,
    "USA": 87.0, "BRA": 67.0, "HTI": 29.0, "EGY": 45.0, "SAU": 93.0, "CHN": 54.0,
    "IND": 15.0, "AFG": 11.0, "FJI": 50.0, "RUS": 76.0, "KAZ": 76.0,
}  # fmt: skip
GROWTH = 3.0


def internet_use(code: str, year: int) -> float:
    return min(99.0, round(START[code] + GROWTH * (year - 2017), 1))


@dataclass
class CountryData:
    series: Series
    leading: Release
    newer: Release
    computed: Release
    states: dict[str, Geography] = field(default_factory=dict)


def mark_member_states(codes_by_region=MEMBER_STATES, groups=GROUPS) -> dict[str, Geography]:
    """Marks the countries as Member States in their ITU region, and adds the group members."""
    states = {}
    for region_code, codes in codes_by_region.items():
        region = Geography.objects.get(code=region_code)
        for code in codes:
            country = Geography.objects.get(code=code)
            country.is_member_state = True
            country.region = region
            country.iso2 = country.iso2 or code[:2]
            country.save()
            states[code] = country
    for group_code, codes in groups.items():
        group = Geography.objects.get(code=group_code)
        group.members.add(*Geography.objects.filter(code__in=codes))
    return states


def build_country_data(*, years=YEARS) -> CountryData:
    """Member States, the Internet-use series in the DDD (leading, 2017-2021, with estimates),
    the WDI (a newer release: 2022 for three countries and a restated 2021 for Norway) and the
    portal's computed aggregates (World and LDC, with coverage); the plan's Internet-use
    indicators measured by it."""
    set_aside_country_data()
    states = mark_member_states()
    series = Series.objects.create(
        code=INTERNET_SERIES,
        name_en="Individuals using the Internet",
        name_fr="Personnes utilisant l'Internet",
        name_ar="الأفراد الذين يستخدمون الإنترنت",
        name_zh_hans="使用互联网的个人",
        unit="percent",
    )
    leading = Release.objects.create(
        series=series,
        publisher="ITU",
        publication="World Telecommunication/ICT Indicators Database",
        edition="January 2022",
        released_on=date(2022, 1, 31),
        is_leading=True,
    )
    newer = Release.objects.create(
        series=series,
        publisher="World Bank",
        publication="World Development Indicators",
        edition="November 2024",
        released_on=date(2024, 11, 1),
    )
    computed = Release.objects.create(
        series=series,
        publisher="ITU RBM portal",
        publication="Aggregates computed by the portal",
        edition="test",
        is_computed=True,
    )
    figures = [
        Statistic(
            release=leading,
            geography=country,
            year=year,
            value=internet_use(code, year),
            is_estimate=(code == "NER" and year == 2021),
        )
        for code, country in states.items()
        for year in years
    ]
    figures += [
        Statistic(release=newer, geography=states[code], year=2022, value=value)
        for code, value in (("NOR", 99.0), ("KEN", 30.0), ("USA", 92.0))
    ]
    figures.append(Statistic(release=newer, geography=states["NOR"], year=2021, value=98.5))
    # a territory that is not a Member State: on the map, not in the list
    figures.append(
        Statistic(
            release=leading, geography=Geography.objects.get(code="HKG"), year=2021, value=92.0
        )
    )
    world = Geography.objects.get(code="WLD")
    ldc = Geography.objects.get(code="LDC")
    figures += [
        Statistic(release=computed, geography=world, year=2019, value=52.1, coverage=0.93),
        Statistic(release=computed, geography=ldc, year=2019, value=17.9, coverage=0.71),
        Statistic(release=computed, geography=world, year=2021, value=60.0, coverage=0.9),
    ]
    Statistic.objects.bulk_create(figures)
    Indicator.objects.filter(
        code__in=("1.2-internet-use", "2.3-internet-use", "2.4-internet-use")
    ).update(country_series=series)
    return CountryData(series, leading, newer, computed, states)


def grow(data: CountryData, *, extra_years=range(2010, 2017)) -> None:
    """More of everything, for the query counts: earlier years, another release, more Member
    States with figures."""
    more = {"ITU-EUR": ("ITA", "ESP", "SWE"), "ITU-AFR": ("GHA", "SEN"), "ITU-ASP": ("JPN",)}
    added = mark_member_states(more, {"SIDS": ("JPN",)})
    third = Release.objects.create(
        series=data.series,
        publisher="World Bank",
        publication="WDI via Gapminder",
        edition="December 2025",
        released_on=date(2025, 12, 8),
    )
    states = {**data.states, **added}
    figures = [
        Statistic(release=data.leading, geography=country, year=year, value=30.0)
        for country in states.values()
        for year in extra_years
    ]
    figures += [
        Statistic(release=third, geography=country, year=year, value=50.0 + year - 2017)
        for country in states.values()
        for year in YEARS
    ]
    Statistic.objects.bulk_create(figures)
    data.states = states
