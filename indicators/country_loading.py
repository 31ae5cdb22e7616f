"""Load ITU's per-country data (fixtures/countries/) into Geography, Series, Release, Statistic and
Population.

Two entry points, each behind a management command:

- `countries_load`: the UN's names of every country in the six languages, ISO/M49 codes, the
  193 Member States with their ITU region, and the LDC/LLDC/SIDS memberships (the M49 file is
  the one source of truth for the groups).
- `statistics_load`: every file of a manifest (fixtures/countries/sources.json), each read by the
  reader of its layout into plain `Record`s, mapped to series and breakdowns by series.json, and
  written in one transaction per file. A record's release comes from the manifest's citations.

Writes are diffs against what is stored (nothing is written when nothing changed: running twice
is harmless and cheap), in bulk; bulk writes send no signals, so `content_changed()` is called.
"""

from __future__ import annotations

import ast
import csv
import json
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from frameworks.loading import ContentError
from frameworks.models import StrategicPlan
from itu_rbm.caching import content_changed

from .models import (
    LAST_YEAR,
    STATISTICS_FIRST_YEAR,
    Geography,
    Indicator,
    Population,
    Release,
    Series,
    Statistic,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "countries"
DEFAULT_MANIFEST = FIXTURES / "sources.json"
DEFAULT_SERIES = FIXTURES / "series.json"
M49_FILE = FIXTURES / "un-m49-country-codes.csv"
MEMBER_STATES_FILE = FIXTURES / "itu-member-states-derived.csv"

BATCH_SIZE = 2000
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh-hans")
TOTAL = Statistic.TOTAL

Progress = Callable[[Iterable, int, str], Iterable]


def no_progress(iterable: Iterable, total: int, description: str) -> Iterable:
    return iterable


def _field(name: str, language: str) -> str:
    return f"{name}_{language.replace('-', '_')}"


# --- spreadsheet formulas ---------------------------------------------------------------------

_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def evaluate_formula(text: str) -> float:
    """The value of a spreadsheet formula of plain arithmetic ("=170.77*(1000/12)"): numbers,
    + - * / and brackets only. Anything else (names, calls, powers) is refused: the file is
    data, never code, so nothing is ever handed to eval."""
    expression = text.strip().removeprefix("=")
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ValueError(f"not an arithmetic formula: {text!r}") from None

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.operand))
        raise ValueError(f"not an arithmetic formula: {text!r}")

    try:
        return value(tree.body)
    except ZeroDivisionError:
        raise ValueError(f"division by zero in {text!r}") from None


# --- readers: one per file layout -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One figure as a file gives it, before it is mapped to a series and a geography. `label`
    names what it measures in the file's own words (an indicator name, a column, a code and a
    breakdown value); `line` is where it is, for messages."""

    label: str
    geography: str
    year: int
    value: float | None
    is_estimate: bool
    line: int


class RowError(ContentError):
    def __init__(self, line: int, message: str):
        super().__init__(f"row {line}: {message}")


NO_VALUES = {"", "NULL", "..", "NA", "N/A", "#N/A", "-"}


def parse_value(raw, line: int) -> float | None:
    """A number, an empty or "NULL" cell (None), or a formula of plain arithmetic."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise RowError(line, f"value {raw!r} is not a number")
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    if text.upper() in NO_VALUES:
        return None
    if text.startswith("="):
        try:
            return evaluate_formula(text)
        except ValueError as error:
            raise RowError(line, str(error)) from None
    try:
        return float(text)
    except ValueError:
        raise RowError(line, f"value {text!r} is not a number") from None


def parse_year(raw, line: int) -> int:
    try:
        year = int(str(raw).strip().removesuffix(".0"))
    except ValueError:
        raise RowError(line, f"year {raw!r} is not a year") from None
    return year


def _csv_rows(path: Path) -> Iterator[tuple[int, dict]]:
    # utf-8-sig: the World Bank's files start with a byte-order mark
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), 2)


def _require(row: dict, columns: Iterable[str], path: Path) -> None:
    missing = [column for column in columns if column not in row]
    if missing:
        raise ContentError(f"{path.name}: no column {', '.join(missing)}")


def read_ddd_xlsx(path: Path, options: dict) -> Iterator[Record]:
    """ITU's DDD workbook: Country, Region, ISO, Indicator name, Year, Value, ITU estimate?; a
    blank row and a "Source: …" footer at the end."""
    from openpyxl import load_workbook

    # keep_links=False: the workbook links to external files; reading them took 3.5 s
    workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows)]
        columns = ("ISO", "Indicator name", "Year", "Value", "ITU estimate?")
        _require(dict.fromkeys(header), columns, path)
        iso, name, year, value, estimate = (header.index(column) for column in columns)
        for line, row in enumerate(rows, 2):
            if not any(cell not in (None, "") for cell in row):
                continue
            first = str(row[0] or "")
            if row[iso] is None and first.startswith("Source:"):
                continue  # the footer
            if not row[iso] or not row[name]:
                raise RowError(line, "no ISO code or indicator name")
            flag = str(row[estimate] or "").strip()
            if flag not in ("", "Yes", "No"):
                raise RowError(line, f"'ITU estimate?' is {flag!r}, not Yes or empty")
            yield Record(
                label=str(row[name]).strip(),
                geography=str(row[iso]).strip(),
                year=parse_year(row[year], line),
                value=parse_value(row[value], line),
                is_estimate=flag == "Yes",
                line=line,
            )
    finally:
        workbook.close()


def read_wide_csv(path: Path, options: dict) -> Iterator[Record]:
    """The World Bank's download: one row per economy and indicator, one column per year."""
    for line, row in _csv_rows(path):
        _require(row, ("Country Code", "Indicator Code"), path)
        for column, raw in row.items():
            if column is None:
                raise RowError(line, "more cells than columns")
            if not column.strip().isdigit():
                continue
            yield Record(
                label=row["Indicator Code"].strip(),
                geography=row["Country Code"].strip(),
                year=int(column),
                value=parse_value(raw, line),
                is_estimate=False,
                line=line,
            )


def read_long_csv(path: Path, options: dict) -> Iterator[Record]:
    """Gapminder's datapoints: geo, time, <one value column>; the label is the value column."""
    for line, row in _csv_rows(path):
        _require(row, ("geo", "time"), path)
        values = [column for column in row if column not in ("geo", "time")]
        if len(values) != 1:
            raise RowError(line, f"expected one value column beside geo and time, got {values}")
        yield Record(
            label=values[0],
            geography=row["geo"].strip(),
            year=parse_year(row["time"], line),
            value=parse_value(row[values[0]], line),
            is_estimate=False,
            line=line,
        )


def read_ddf_csv(path: Path, options: dict) -> Iterator[Record]:
    """UNSD's SDG datapoints as DDF: geo_area, nature, [breakdown], units, year, <value column>.
    The label is the value column, with the breakdown's value after a "|" when the file has one
    (it_mob_own|female); `nature` marks estimates (options["estimate_natures"])."""
    estimated = {nature.lower() for nature in options.get("estimate_natures", ())}
    dimension = options.get("dimension")
    for line, row in _csv_rows(path):
        _require(row, ("geo_area", "nature", "year"), path)
        fixed = {"geo_area", "nature", "units", "year", dimension}
        values = [column for column in row if column not in fixed]
        if len(values) != 1:
            raise RowError(line, f"expected one value column, got {values}")
        label = values[0] if dimension is None else f"{values[0]}|{row[dimension].strip()}"
        yield Record(
            label=label,
            geography=row["geo_area"].strip(),
            year=parse_year(row["year"], line),
            value=parse_value(row[values[0]], line),
            is_estimate=row["nature"].strip().lower() in estimated,
            line=line,
        )


def read_editions_csv(path: Path, options: dict) -> Iterator[Record]:
    """The GCI compilation: Country, then one score column per edition (its year) and a rank
    column after each; the label is the edition's column."""
    for line, row in _csv_rows(path):
        _require(row, ("Country",), path)
        for column, raw in row.items():
            if column is None:
                raise RowError(line, "more cells than columns")
            if not column.strip().isdigit():
                continue
            yield Record(
                label=column.strip(),
                geography=row["Country"].strip(),
                year=int(column),
                value=parse_value(raw, line),
                is_estimate=False,
                line=line,
            )


READERS: dict[str, Callable[[Path, dict], Iterator[Record]]] = {
    "ddd_xlsx": read_ddd_xlsx,
    "wide_csv": read_wide_csv,
    "long_csv": read_long_csv,
    "ddf_csv": read_ddf_csv,
    "editions_csv": read_editions_csv,
}


# --- geographies ------------------------------------------------------------------------------


def normalized_name(name: str) -> str:
    """A country name reduced for matching: no accents, case, punctuation, article or footnote
    mark ("the United States of America (the)" and "United States of America" meet)."""
    import unicodedata

    text = re.sub(r"[^\w]+", " ", name.replace("*", " "))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [word for word in text.split() if word != "the"]
    return " ".join(words)


UNMATCHED_NAME = "name not matched"


class GeographyIndex:
    """Finds a geography from a file's key: an ISO3 code (any case), an M49 number, or a name."""

    def __init__(self):
        self.by_code: dict[str, Geography] = {}
        self.by_m49: dict[int, Geography] = {}
        self.by_name: dict[str, Geography] = {}
        for geography in Geography.objects.all():
            self.by_code[geography.code] = geography
            if geography.m49:
                self.by_m49[int(geography.m49)] = geography
            if geography.kind == Geography.Kind.COUNTRY:
                for name in (geography.name_en, geography.formal_name_en):
                    if name:
                        self.by_name[normalized_name(name)] = geography

    def resolver(self, entry: dict) -> Callable[[str], tuple[Geography | None, str]]:
        """A function from a file's geography key to (geography, "") or (None, why skipped)."""
        kind = entry["geography"]
        aliases = entry.get("aliases", {})
        if kind == "iso3":

            def resolve(key: str):
                code = aliases.get(key.upper(), key.upper())
                geography = self.by_code.get(code)
                if geography is None:
                    return None, "no portal geography for the code"
                if geography.kind != Geography.Kind.COUNTRY and not entry.get("aggregates"):
                    return None, "aggregate not read from this file"
                return geography, ""

        elif kind == "m49":
            area_codes = {int(number): code for number, code in entry.get("area_codes", {}).items()}

            def resolve(key: str):
                number = int(key)
                if number in area_codes:
                    return self.by_code[area_codes[number]], ""
                geography = self.by_m49.get(number)
                if geography is None:
                    return None, "M49 area without a portal geography"
                return geography, ""

        elif kind == "name":
            by_alias = {normalized_name(alias): code for alias, code in aliases.items()}

            def resolve(key: str):
                name = normalized_name(key)
                if name in by_alias:
                    return self.by_code[by_alias[name]], ""
                geography = self.by_name.get(name)
                if geography is None:
                    return None, UNMATCHED_NAME
                return geography, ""

        else:
            raise ContentError(f"{entry['file']}: unknown geography key kind {kind!r}")
        return resolve


# --- countries: names, codes, Member States, regions, groups ----------------------------------

UNTERM = {"en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "ar": "Arabic"}
UNTERM["zh-hans"] = "Chinese"
OFFICIAL_NAME = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh-hans": "cn"}
# UNTERM's short names end with the article in brackets: "Norvège (la)", "Netherlands (the)".
ARTICLE = re.compile(r"\s*\((?:the|le|la|les|l'|l’|el|los|las)\)$", re.IGNORECASE)
REGIONS = {
    "Africa": "ITU-AFR",
    "Americas": "ITU-AMS",
    "Arab States": "ITU-ARB",
    "Asia-Pacific": "ITU-ASP",
    "CIS": "ITU-CIS",
    "Europe": "ITU-EUR",
}
GROUP_COLUMNS = {
    "LDC": "Least Developed Countries (LDC)",
    "LLDC": "Land Locked Developing Countries (LLDC)",
    "SIDS": "Small Island Developing States (SIDS)",
}
COUNTRY_SOURCE = (
    "Names: UNTERM short and formal names in the six UN languages, ISO 3166 alpha-2 and M49 "
    "codes (UN Statistics Division, M49 standard: fixtures/countries/un-m49-country-codes.csv)"
)


# The M49 file's own English name of Côte d'Ivoire reads "Ivory Coast", a name the UN does not
# use: the M49 standard and UNTERM write "Côte d'Ivoire" in English too.
NAME_CORRECTIONS = {("CIV", "en"): "Côte d’Ivoire"}


def un_name(text: str) -> str:
    """A UNTERM name as a page shows it: without the trailing article marker "(la)" or the
    footnote mark "*", keeping brackets that are part of the name ("(État plurinational de)")."""
    text = text.strip().removesuffix("*").strip()
    return ARTICLE.sub("", text).strip()


@dataclass
class CountriesReport:
    countries: int = 0
    updated: int = 0
    member_states: int = 0
    regions: Counter = field(default_factory=Counter)
    groups: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def __str__(self):
        regions = ", ".join(f"{code} {n}" for code, n in sorted(self.regions.items()))
        groups = ", ".join(f"{code} {n}" for code, n in self.groups.items())
        text = (
            f"{self.countries} countries named ({self.updated} changed), "
            f"{self.member_states} Member States ({regions}); groups: {groups}"
        )
        if self.skipped:
            text += f"; not in the portal's geographies: {', '.join(self.skipped)}"
        return text


def _read_csv(path: Path) -> list[dict]:
    try:
        return [row for _line, row in _csv_rows(Path(path))]
    except OSError as error:
        raise ContentError(f"{path}: {error}") from None


def countries_load(
    *, m49_path: Path = M49_FILE, member_states_path: Path = MEMBER_STATES_FILE
) -> CountriesReport:
    """Names, codes, Member States, regions and LDC/LLDC/SIDS memberships. Run after
    load_indicators (the geographies must exist). Writes only what differs."""
    m49_rows = _read_csv(m49_path)
    member_rows = _read_csv(member_states_path)
    report = CountriesReport()
    with transaction.atomic():
        geographies = {g.code: g for g in Geography.objects.all()}
        regions = {name: geographies.get(code) for name, code in REGIONS.items()}
        if None in regions.values():
            raise ContentError("the ITU regions are missing: run load_indicators first")
        members = {}
        for row in member_rows:
            if row["itu_region"] not in regions:
                raise ContentError(f"{row['iso3']}: unknown ITU region {row['itu_region']!r}")
            members[row["iso3"]] = regions[row["itu_region"]]
        changed = []
        group_members: dict[str, set[str]] = {code: set() for code in GROUP_COLUMNS}
        for row in m49_rows:
            code = row["ISO3166-1-Alpha-3"].strip()
            geography = geographies.get(code)
            if geography is None or geography.kind != Geography.Kind.COUNTRY:
                report.skipped.append(code or row["UNTERM English Short"])
                continue
            for group, column in GROUP_COLUMNS.items():
                if row[column].strip().lower() == "x":
                    group_members[group].add(code)
            values = _country_values(row, members.get(code))
            if any(getattr(geography, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(geography, name, value)
                changed.append(geography)
            report.countries += 1
        missing = set(members) - set(geographies)
        if missing:
            raise ContentError(f"Member States not among the geographies: {sorted(missing)}")
        # a country the M49 file does not list is no Member State either
        for geography in geographies.values():
            was_member = geography.is_member_state or geography.region_id
            if geography.code not in members and geography.kind == "country" and was_member:
                geography.is_member_state, geography.region = False, None
                if geography not in changed:
                    changed.append(geography)
        if changed:
            Geography.objects.bulk_update(
                changed, sorted({name for g in changed for name in _country_fields()})
            )
        report.updated = len(changed)
        for group, codes in group_members.items():
            group_geography = geographies[group]
            wanted = {geographies[code].pk for code in codes}
            if set(group_geography.members.values_list("pk", flat=True)) != wanted:
                group_geography.members.set(wanted)  # sends m2m_changed: the cache follows
            report.groups[group] = len(codes & set(members))
        report.member_states = len(members)
        report.regions = Counter(REGIONS[row["itu_region"]] for row in member_rows)
        if changed:
            content_changed()
    return report


def _country_fields() -> list[str]:
    names = ["name", "formal_name"]
    names += [_field(name, language) for name in ("name", "formal_name") for language in LANGUAGES]
    return [*names, "iso2", "m49", "is_member_state", "region", "source"]


def _country_values(row: dict, region: Geography | None) -> dict:
    values = {}
    fallbacks = []
    for language in LANGUAGES:
        short = un_name(row[f"UNTERM {UNTERM[language]} Short"])
        if not short:
            # a few rows (Côte d'Ivoire, Türkiye, …) have no UNTERM names: the M49 file's own
            short = un_name(row[f"official_name_{OFFICIAL_NAME[language]}"])
            short = NAME_CORRECTIONS.get((row["ISO3166-1-Alpha-3"], language), short)
            fallbacks.append(language)
        values[_field("name", language)] = short
        values[_field("formal_name", language)] = un_name(row[f"UNTERM {UNTERM[language]} Formal"])
    values["name"] = values["name_en"]
    values["formal_name"] = values["formal_name_en"]
    values["iso2"] = row["ISO3166-1-Alpha-2"].strip()
    values["m49"] = row["M49"].strip().zfill(3) if row["M49"].strip() else ""
    values["is_member_state"] = region is not None
    values["region"] = region
    source = COUNTRY_SOURCE
    if fallbacks:
        source += "; no UNTERM entry, so the short names are the M49 file's official names"
    source += (
        "; ITU Member State and ITU region: fixtures/countries/itu-member-states-derived.csv"
        if region is not None
        else "; not an ITU Member State"
    )
    values["source"] = source + "."
    return values


# --- series -----------------------------------------------------------------------------------


def read_json(path: Path) -> dict | list:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ContentError(f"{path}: {error}") from None


@dataclass(frozen=True)
class Mapping:
    series: str
    sex: str = TOTAL
    age: str = TOTAL
    area: str = TOTAL


def label_mappings(series_rows: list[dict]) -> dict[tuple[str, str], Mapping]:
    """(file, label) -> series and breakdown, from series.json's "sources"."""
    mappings = {}
    for row in series_rows:
        for source in row.get("sources", ()):
            key = (source["file"], source["label"])
            if key in mappings:
                raise ContentError(f"series.json: {key} is mapped twice")
            mappings[key] = Mapping(
                row["code"],
                source.get("sex", TOTAL),
                source.get("age", TOTAL),
                source.get("area", TOTAL),
            )
    return mappings


def series_sync(series_rows: list[dict]) -> dict[str, Series]:
    """Create or update every series of series.json (names and definitions in six languages);
    saves only what differs."""
    existing = {series.code: series for series in Series.objects.all()}
    result = {}
    for order, row in enumerate(series_rows, 1):
        values = {"order": row.get("order", order), "unit": row["unit"]}
        values["direction"] = row.get("direction", Indicator.Direction.INCREASE.value)
        for name in ("name", "definition"):
            texts = row[name]
            missing = [language for language in LANGUAGES if not texts.get(language)]
            if missing:
                raise ContentError(f"series {row['code']}: no {name} in {missing}")
            for language in LANGUAGES:
                values[_field(name, language)] = texts[language]
            values[name] = texts["en"]
        series = existing.get(row["code"]) or Series(code=row["code"])
        if series.pk is None or any(getattr(series, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(series, name, value)
            series.full_clean()
            series.save()
        result[series.code] = series
    return result


def indicators_link(series_rows: list[dict], series: dict[str, Series]) -> int:
    """Set Indicator.country_series for the plan indicators each series measures; returns how
    many links changed."""
    changed = 0
    plans = {plan.code: plan for plan in StrategicPlan.objects.all()}
    for row in series_rows:
        for plan_code, codes in row.get("measures", {}).items():
            if plan_code not in plans:
                continue  # a plan that is not loaded
            indicators = Indicator.objects.filter(plan=plans[plan_code], code__in=codes)
            found = {indicator.code: indicator for indicator in indicators}
            unknown = sorted(set(codes) - set(found))
            if unknown:
                raise ContentError(f"series {row['code']}: no indicators {unknown} in {plan_code}")
            for indicator in found.values():
                if indicator.country_series_id != series[row["code"]].pk:
                    indicator.country_series = series[row["code"]]
                    indicator.save(update_fields=["country_series"])
                    changed += 1
    return changed


# --- statistics -------------------------------------------------------------------------------


@dataclass
class FileReport:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    releases_changed: int = 0
    skipped: Counter = field(default_factory=Counter)
    # reason -> the file's keys skipped for it (codes, names, labels), for the summary
    skipped_keys: dict[str, set[str]] = field(default_factory=dict)

    def skip(self, reason: str, key: str = "") -> None:
        self.skipped[reason] += 1
        if key:
            self.skipped_keys.setdefault(reason, set()).add(key)

    @property
    def unmatched_names(self) -> list[str]:
        """The names a file's geography could not be matched to (files keyed by name)."""
        return sorted(self.skipped_keys.get(UNMATCHED_NAME, ()))

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted

    def __str__(self):
        text = (
            f"{self.file}: {self.rows} figures read, {self.created} written, "
            f"{self.updated} updated, {self.deleted} removed, {self.unchanged} unchanged"
        )
        if self.skipped:
            reasons = "; ".join(
                self._reason(reason, n) for reason, n in sorted(self.skipped.items(), key=_by_count)
            )
            text += f"; skipped {sum(self.skipped.values())}: {reasons}"
        return text

    def _reason(self, reason: str, count: int) -> str:
        keys = sorted(self.skipped_keys.get(reason, ()))
        if not keys:
            return f"{reason} ({count})"
        shown = ", ".join(keys[:40]) + (", …" if len(keys) > 40 else "")
        return f"{reason} ({count}: {shown})"


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def release_values(citation: dict, entry: dict) -> dict:
    released_on = citation.get("released_on")
    return {
        "released_on": date.fromisoformat(released_on) if released_on else None,
        "source": entry.get("provenance", ""),
        "source_url": citation.get("source_url", ""),
        "licence": citation.get("licence", ""),
    }


def release_for(
    series: Series, citation: dict, entry: dict, leading: bool, report: FileReport
) -> Release:
    """The release of `series` this citation names, created or brought up to date; when it
    leads, any other leading release of the series stops leading first (one per series)."""
    release = Release.objects.filter(
        series=series,
        publisher=citation["publisher"],
        publication=citation["publication"],
        edition=citation["edition"],
    ).first()
    values = {**release_values(citation, entry), "is_leading": leading}
    if release is not None and all(getattr(release, k) == v for k, v in values.items()):
        return release
    if leading:
        others = Release.objects.filter(series=series, is_leading=True)
        if release is not None:
            others = others.exclude(pk=release.pk)
        others.update(is_leading=False)
    if release is None:
        release = Release(
            series=series,
            publisher=citation["publisher"],
            publication=citation["publication"],
            edition=citation["edition"],
        )
    for name, value in values.items():
        setattr(release, name, value)
    release.save()
    report.releases_changed += 1
    return release


STATISTIC_KEY = ("release_id", "geography_id", "year", "sex", "age", "area")


def statistics_write(
    releases: Iterable[Release],
    rows: dict[tuple, tuple],
    report: FileReport,
    fields: tuple[str, ...] = ("value", "is_estimate"),
) -> None:
    """Make the stored figures of `releases` equal `rows` ({(release, geography, year, sex, age,
    area): values of `fields`}): create, update and delete only the difference."""
    stored = {}
    for pk, *rest in Statistic.objects.filter(release__in=[r.pk for r in releases]).values_list(
        "pk", *STATISTIC_KEY, *fields
    ):
        stored[tuple(rest[: len(STATISTIC_KEY)])] = (pk, tuple(rest[len(STATISTIC_KEY) :]))
    to_create, to_update = [], []
    for key, values in rows.items():
        held = stored.pop(key, None)
        if held is not None and held[1] == tuple(values):
            report.unchanged += 1
            continue
        statistic = Statistic(**dict(zip(STATISTIC_KEY, key, strict=True)))
        for name, value in zip(fields, values, strict=True):
            setattr(statistic, name, value)
        if held is None:
            to_create.append(statistic)
        else:
            statistic.pk = held[0]
            to_update.append(statistic)
    Statistic.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Statistic.objects.bulk_update(to_update, list(fields), batch_size=500)
    stale = [held[0] for held in stored.values()]
    for start in range(0, len(stale), BATCH_SIZE):
        Statistic.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    report.created += len(to_create)
    report.updated += len(to_update)
    report.deleted += len(stale)


def population_write(rows: dict[tuple[int, int], int], source: str, report: FileReport) -> None:
    stored = {
        (geography, year): (pk, value, held_source)
        for pk, geography, year, value, held_source in Population.objects.values_list(
            "pk", "geography_id", "year", "value", "source"
        )
    }
    to_create, to_update = [], []
    for (geography, year), value in rows.items():
        held = stored.pop((geography, year), None)
        if held is None:
            to_create.append(
                Population(geography_id=geography, year=year, value=value, source=source)
            )
        elif held[1] != value or held[2] != source:
            to_update.append(
                Population(
                    pk=held[0], geography_id=geography, year=year, value=value, source=source
                )
            )
        else:
            report.unchanged += 1
    Population.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Population.objects.bulk_update(to_update, ["value", "source"], batch_size=500)
    stale = [held[0] for held in stored.values()]
    for start in range(0, len(stale), BATCH_SIZE):
        Population.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    report.created += len(to_create)
    report.updated += len(to_update)
    report.deleted += len(stale)


class StatisticsLoader:
    """Loads the files of a manifest; `load_file` is one transaction."""

    def __init__(self, manifest_path: Path, series_path: Path | None = None):
        self.manifest_path = Path(manifest_path)
        self.base = self.manifest_path.parent
        self.manifest = read_json(self.manifest_path)
        self.series_rows = read_json(series_path or self.base / "series.json")["series"]
        self.mappings = label_mappings(self.series_rows)
        self.leading = {row["code"]: row.get("leading") for row in self.series_rows}
        self.citations = self.manifest["releases"]
        for code, key in self.leading.items():
            if key is not None and key not in self.citations:
                raise ContentError(f"series {code}: leading release {key!r} is not in the manifest")

    def load_all(self, progress: Progress = no_progress) -> tuple[list[FileReport], list[str]]:
        """Every file; a broken file is rolled back and named in the second list, the others
        are loaded."""
        with transaction.atomic():
            self.series = series_sync(self.series_rows)
            self.geographies = GeographyIndex()
        reports, failures = [], []
        for entry in self.manifest["files"]:
            try:
                reports.append(self.load_file(entry, progress))
            except ContentError as error:
                failures.append(f"{entry['file']}: {error} (nothing from this file was written)")
        with transaction.atomic():
            indicators_link(self.series_rows, self.series)
        return reports, failures

    def load_file(self, entry: dict, progress: Progress = no_progress) -> FileReport:
        path = self.base / entry["file"]
        reader = READERS.get(entry["reader"])
        if reader is None:
            raise ContentError(f"unknown reader {entry['reader']!r}")
        if not path.exists():
            raise ContentError(f"no file {path}")
        report = FileReport(entry["file"])
        with transaction.atomic():
            if entry.get("writes") == "population":
                self._load_population(entry, path, reader, report, progress)
            else:
                self._load_statistics(entry, path, reader, report, progress)
            if report.written or report.releases_changed:
                content_changed()
        return report

    def _records(self, entry, path, reader, progress) -> Iterator[tuple[Record, Geography]]:
        """The file's records with their geography; skipped ones are counted by the caller."""
        resolve = self.geographies.resolver(entry)
        total = entry.get("expected_rows", 0)
        return progress(reader(path, entry), total, entry["file"]), resolve

    def _load_statistics(self, entry, path, reader, report, progress) -> None:
        records, resolve = self._records(entry, path, reader, progress)
        releases: dict[tuple[str, str], Release] = {}
        rows: dict[tuple, tuple[float, bool]] = {}
        lines: dict[tuple, int] = {}
        by_label = entry.get("releases", {})
        for record in records:
            report.rows += 1
            mapping = self.mappings.get((entry["file"], record.label))
            if mapping is None:
                report.skip("label not in series.json", record.label)
                continue
            geography = usable(record, resolve, report, STATISTICS_FIRST_YEAR, LAST_YEAR)
            if geography is None:
                continue
            release_key = by_label.get(record.label, entry.get("release"))
            release = releases.get((mapping.series, release_key))
            if release is None:
                if release_key not in self.citations:
                    raise ContentError(f"no release {release_key!r} in the manifest")
                release = release_for(
                    self.series[mapping.series],
                    self.citations[release_key],
                    entry,
                    leading=self.leading[mapping.series] == release_key,
                    report=report,
                )
                releases[(mapping.series, release_key)] = release
            key = (release.pk, geography.pk, record.year, mapping.sex, mapping.age, mapping.area)
            if key in rows:
                raise RowError(
                    record.line,
                    f"a second figure for {geography.code} {record.year} {record.label} "
                    f"(the first is on row {lines[key]})",
                )
            rows[key] = (record.value, record.is_estimate)
            lines[key] = record.line
        statistics_write(releases.values(), rows, report)

    def _load_population(self, entry, path, reader, report, progress) -> None:
        records, resolve = self._records(entry, path, reader, progress)
        rows: dict[tuple[int, int], int] = {}
        first, last = entry.get("years", [STATISTICS_FIRST_YEAR, LAST_YEAR])
        for record in records:
            report.rows += 1
            geography = usable(record, resolve, report, first, last)
            if geography is None:
                continue
            rows[(geography.pk, record.year)] = round(record.value)
        population_write(rows, entry["source"], report)


def usable(record, resolve, report, first: int, last: int) -> Geography | None:
    """The record's geography when the record can be written (a value, a year in reach, a
    geography the portal has); else None, the reason counted in the report."""
    if record.value is None:
        report.skip("no value")
        return None
    if not first <= record.year <= last:
        report.skip(f"year outside {first}-{last}")
        return None
    geography, why = resolve(record.geography)
    if geography is None:
        report.skip(why, record.geography)
    return geography


def statistics_load(
    manifest_path: Path = DEFAULT_MANIFEST, progress: Progress = no_progress
) -> tuple[list[FileReport], list[str]]:
    return StatisticsLoader(manifest_path).load_all(progress)
