"""A small world of per-economy statistics for the API's tests, built on the loaded geographies
(the real country data is loaded by the loader's commands, not here): four Member States with
their UN names, codes, ITU region and groups, one country that is not a Member State, two series
with three releases between them, breakdowns by sex and area, and an ITU estimate."""

from dataclasses import dataclass
from datetime import date

from indicators.models import Geography, Indicator, Release, Series, Statistic
from tests.conftest import set_aside_country_data

# iso3: (iso2, m49, region, {language: (short name, formal name)})
MEMBER_STATES = {
    "NOR": (
        "NO",
        "578",
        "ITU-EUR",
        {
            "en": ("Norway", "the Kingdom of Norway"),
            "fr": ("Norvège", "le Royaume de Norvège"),
            "es": ("Noruega", "el Reino de Noruega"),
            "ru": ("Норвегия", "Королевство Норвегия"),
            "ar": ("النرويج", "مملكة النرويج"),
            "zh_hans": ("挪威", "挪威王国"),
        },
    ),
    "KEN": (
        "KE",
        "404",
        "ITU-AFR",
        {
            "en": ("Kenya", "the Republic of Kenya"),
            "fr": ("Kenya", "la République du Kenya"),
            "es": ("Kenya", "la República de Kenya"),
            "ru": ("Кения", "Республика Кения"),
            "ar": ("كينيا", "جمهورية كينيا"),
            "zh_hans": ("肯尼亚", "肯尼亚共和国"),
        },
    ),
    "AFG": (
        "AF",
        "004",
        "ITU-ASP",
        {
            "en": ("Afghanistan", "the Islamic Republic of Afghanistan"),
            "fr": ("Afghanistan", "la République islamique d'Afghanistan"),
            "es": ("Afganistán", "la República Islámica del Afganistán"),
            "ru": ("Афганистан", "Исламская Республика Афганистан"),
            "ar": ("أفغانستان", "جمهورية أفغانستان الإسلامية"),
            "zh_hans": ("阿富汗", "阿富汗伊斯兰共和国"),
        },
    ),
    "FJI": (
        "FJ",
        "242",
        "ITU-ASP",
        {
            "en": ("Fiji", "the Republic of Fiji"),
            "fr": ("Fidji", "la République des Fidji"),
            "es": ("Fiji", "la República de Fiji"),
            "ru": ("Фиджи", "Республика Фиджи"),
            "ar": ("فيجي", "جمهورية فيجي"),
            "zh_hans": ("斐济", "斐济共和国"),
        },
    ),
}
NOT_A_MEMBER = "ABW"  # Aruba: a country geography, not an ITU Member State


@dataclass
class CountryWorld:
    internet: Series
    coverage: Series
    ddd: Release  # ITU's database: leading for Internet use
    wdi: Release  # the World Bank's newer edition of the same series
    sdg: Release  # UNSD: leading for 4G coverage


def make_member_states() -> None:
    """Mark the four countries as Member States, as load_countries would, with names in the six
    languages (LDC, LLDC and SIDS membership comes from the loaded groups: AFG is an LDC and an
    LLDC, FJI a SIDS)."""
    set_aside_country_data()
    regions = {region.code: region for region in Geography.objects.regions()}
    for code, (iso2, m49, region, names) in MEMBER_STATES.items():
        country = Geography.objects.get(code=code)
        country.iso2, country.m49, country.is_member_state = iso2, m49, True
        country.region = regions[region]
        for language, (name, formal_name) in names.items():
            setattr(country, f"name_{language}", name)
            setattr(country, f"formal_name_{language}", formal_name)
        country.save()
    aruba = Geography.objects.get(code=NOT_A_MEMBER)
    aruba.iso2, aruba.m49 = "AW", "533"
    aruba.save()
    sids = Geography.objects.get(code="SIDS")
    sids.members.add(Geography.objects.get(code="FJI"))  # the loaded list may lack it


def make_country_world() -> CountryWorld:
    """Member States, two series and their releases, and figures:

    Internet use (percent), ITU DDD 2022 (leading) for 2019–2021 and the WDI 2024 for 2019–2023:
    NOR 2021 is 99.0 in the DDD and 99.2 in the WDI (the DDD's is shown); 2022–2023 only in the
    WDI. KEN has women and men for 2021, AFG an ITU estimate for 2021, ABW (not a Member State) a
    figure for 2021. 4G coverage: UNSD, KEN 2020 is 77.0, NOR 2020 urban and rural too.
    """
    make_member_states()
    internet = Series.objects.create(
        code="internet-use",
        order=1,
        name_en="Individuals using the Internet",
        name_fr="Personnes utilisant l'Internet",
        definition_en="Share of individuals who used the Internet in the last three months.",
        unit=Indicator.Unit.PERCENT,
    )
    coverage = Series.objects.create(
        code="mobile-4g-coverage",
        order=2,
        name_en="Population covered by at least a 4G mobile network",
        unit=Indicator.Unit.PERCENT,
    )
    ddd = Release.objects.create(
        series=internet,
        publisher="ITU",
        publication="World Telecommunication/ICT Indicators Database",
        edition="January 2022",
        released_on=date(2022, 1, 31),
        licence="ITU terms of use",
        is_leading=True,
    )
    wdi = Release.objects.create(
        series=internet,
        publisher="World Bank",
        publication="World Development Indicators",
        edition="2024-12",
        released_on=date(2024, 12, 16),
        licence="CC BY 4.0",
    )
    sdg = Release.objects.create(
        series=coverage,
        publisher="UNSD",
        publication="SDG Global Database",
        edition="2024",
        released_on=date(2024, 7, 1),
        is_leading=True,
    )
    countries = {
        geography.code: geography
        for geography in Geography.objects.filter(code__in=[*MEMBER_STATES, NOT_A_MEMBER])
    }
    nor, ken, afg, fji, abw = (countries[code] for code in ("NOR", "KEN", "AFG", "FJI", "ABW"))
    figures = [
        Statistic(release=ddd, geography=nor, year=2019, value=98.0),
        Statistic(release=ddd, geography=nor, year=2020, value=97.0),
        Statistic(release=ddd, geography=nor, year=2021, value=99.0),
        Statistic(release=wdi, geography=nor, year=2021, value=99.2),
        Statistic(release=wdi, geography=nor, year=2022, value=99.0),
        Statistic(release=wdi, geography=nor, year=2023, value=99.3),
        Statistic(release=ddd, geography=ken, year=2021, value=29.0),
        Statistic(release=ddd, geography=ken, year=2021, sex="F", value=25.0),
        Statistic(release=ddd, geography=ken, year=2021, sex="M", value=33.0),
        Statistic(release=ddd, geography=afg, year=2021, value=18.4, is_estimate=True),
        Statistic(release=ddd, geography=fji, year=2020, value=69.0),
        Statistic(release=ddd, geography=abw, year=2021, value=97.2),
        Statistic(release=sdg, geography=ken, year=2020, value=77.0),
        Statistic(release=sdg, geography=nor, year=2020, value=99.9),
        Statistic(release=sdg, geography=nor, year=2020, area="U", value=100.0),
        Statistic(release=sdg, geography=nor, year=2020, area="R", value=99.5),
    ]
    Statistic.objects.bulk_create(figures)
    Indicator.objects.filter(code="1.2-internet-use").update(country_series=internet)
    return CountryWorld(internet=internet, coverage=coverage, ddd=ddd, wdi=wdi, sdg=sdg)


def grow_countries(world: CountryWorld, size: int) -> None:
    """`size` more Member States, each with Internet use 2010–2023 in both releases, women and
    men, and 4G coverage: the data grows, the query counts must not."""
    region = Geography.objects.get(code="ITU-EUR")
    ldc = Geography.objects.get(code="LDC")
    countries = Geography.objects.bulk_create(
        [
            Geography(
                code=f"Q{n:02}",
                kind=Geography.Kind.COUNTRY,
                name=f"Land {n}",
                formal_name=f"the Republic of Land {n}",
                iso2=f"Q{n % 10}",
                m49=f"9{n:02}",
                is_member_state=True,
                region=region,
                order=1000 + n,
            )
            for n in range(size)
        ]
    )
    ldc.members.add(*countries)
    figures = []
    for country in countries:
        for year in range(2010, 2024):
            for release in (world.ddd, world.wdi):
                for sex in ("_T", "F", "M"):
                    figures.append(
                        Statistic(
                            release=release, geography=country, year=year, sex=sex, value=50.0
                        )
                    )
            figures.append(Statistic(release=world.sdg, geography=country, year=year, value=80.0))
    Statistic.objects.bulk_create(figures)
