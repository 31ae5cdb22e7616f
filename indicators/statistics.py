"""Which published figure a country-year shows, when several releases carry it.

Each series has one leading release, chosen explicitly (Release.is_leading): its figure is the one
shown. A country-year the leading release lacks is filled from the other releases, the most
recently released first, and the figure says which release it comes from. The releases left out
for a country-year are its restatements, listed beside it.
"""

from collections.abc import Iterable
from datetime import date

from .models import Statistic


def release_preference(release) -> tuple:
    """Sorts releases from the most to the least preferred."""
    released = (release.released_on or date.min).toordinal()
    return (not release.is_leading, -released, -release.pk)


def breakdown_key(statistic: Statistic) -> tuple:
    return (statistic.geography_id, statistic.year, statistic.sex, statistic.age, statistic.area)


def choose(statistics: Iterable[Statistic]) -> list[Statistic]:
    """One figure per geography, year and breakdown: the preferred release's. The statistics
    need their release loaded (select_related("release")); the order of the input is kept for
    the figures chosen."""
    chosen: dict[tuple, Statistic] = {}
    for statistic in statistics:
        key = breakdown_key(statistic)
        held = chosen.get(key)
        if held is None or release_preference(statistic.release) < release_preference(held.release):
            chosen[key] = statistic
    return list(chosen.values())


def restatements(statistics: Iterable[Statistic]) -> dict[tuple, list[Statistic]]:
    """The figures `choose` leaves out, by breakdown_key: what other releases said."""
    statistics = list(statistics)
    shown = {id(statistic) for statistic in choose(statistics)}
    others: dict[tuple, list[Statistic]] = {}
    for statistic in statistics:
        if id(statistic) not in shown:
            others.setdefault(breakdown_key(statistic), []).append(statistic)
    return others
