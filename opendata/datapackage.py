"""The whole portal as one Frictionless Data Package: /<lang>/open-data/datapackage.zip.

The zip holds one CSV per table (the published plans' goals and targets in the page's language,
their indicators, the geographies, the plan's approved figures, each target's status and
verdict, the per-country series, their releases and statistics), `datapackage.json` (a Table
Schema per table: field types, units, primary and foreign keys; licences and sources) and
`csv-metadata.json` (the same tables described for CSV on the Web). Both descriptions are made
from one list of tables (TABLES), so they cannot drift apart.

Rows are written as the database yields them (the figures through .iterator(), STATISTICS_CHUNK
at a time) straight into the zip's compressed members, in a constant number of queries: one per
table, and plan_progress's three per published plan. Memory stays flat however many figures
there are (bench/open_data_memory.py: 1.8 million).

How it is kept. The zip is a file on disk, not a cache entry: at 1.8 million figures it is tens
of MB, which the "api" cache (Redis in production, itu_rbm/caching.py) should not hold nor send
through each worker's memory for every download. It is built once per content generation, year,
language and homepage into package_directory(), under a name made of those (`Package`): the
generation is what makes it right — a write starts a new one (itu_rbm.caching), so the next
download builds a new file and older ones are deleted STALE_SECONDS later. It is written to a
temporary file beside its place and renamed when whole, so concurrent builders and readers never
see half a zip; every member is stamped with the generation's time, so a build gives the same
bytes whichever process makes it. Visitors get it as a FileResponse (read from disk in blocks);
the name is the ETag, so a matching If-None-Match is a 304 without opening the file; Last-Modified
is the generation's. A cached download makes no query. Each machine builds its own copy (the
directory is local): no shared storage to run, at the cost of one build per machine and
generation. A signed-in user gets a package built afresh into a temporary file, private, as
itu_rbm.caching answers them.
"""

import csv
import fcntl
import hashlib
import io
import json
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, NamedTuple

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from frameworks.models import Goal, StrategicPlan, Target
from indicators.models import Geography, Indicator, Observation, Release, Series, Statistic
from indicators.status import plan_progress
from itu_rbm.caching import ALWAYS_VARY, Generation, content_generation, current_year
from itu_rbm.formats import plain_number

from .formats import FORMATS, Format

DATAPACKAGE_PROFILE = "tabular-data-package"
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
# Frictionless field types as CSV on the Web datatypes
CSVW_DATATYPES = {
    "string": "string",
    "integer": "integer",
    "number": "double",
    "boolean": "boolean",
    "date": "date",
}
STATISTICS_CHUNK = 5000  # rows fetched at a time: memory stays flat however many there are
STALE_SECONDS = 600  # how long a package of an earlier generation is left for its readers


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    description: str
    required: bool = False


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str  # "" for the table itself
    referenced: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str  # the resource's name; its file is <name>.csv
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _fk(columns: str, table: str, referenced: str) -> ForeignKey:
    return ForeignKey(tuple(columns.split()), table, tuple(referenced.split()))


UNIT_NOTE = "in the unit its `unit` column names"
TABLES = (
    Table(
        "plan_elements",
        "Goals and targets",
        "The published strategic plans' goals and targets, in the language of the download.",
        (
            Column(
                "id", "string", "The element: <plan>:goal:<number> or <plan>:target:<code>.", True
            ),
            Column("plan", "string", "The strategic plan's code (its years).", True),
            Column("kind", "string", "goal or target.", True),
            Column("code", "string", "The goal's number or the target's code.", True),
            Column("goal", "string", "A target's goal (the goal's id); empty for a goal."),
            Column("order", "integer", "The element's place among its siblings."),
            Column("name", "string", "A goal's name; a target's text."),
            Column("description", "string", "A goal's description; empty for a target."),
        ),
        ("id",),
        (_fk("goal", "", "id"),),
    ),
    Table(
        "indicators",
        "Indicators",
        "The indicators that measure the plan's targets, with their targets' levels.",
        (
            Column("id", "string", "The indicator: <plan>:<code>.", True),
            Column("plan", "string", "The strategic plan's code.", True),
            Column("code", "string", "The indicator's code in its plan.", True),
            Column("target", "string", "The target it measures (plan_elements.id).", True),
            Column("is_main", "boolean", "The indicator that gives its target a status."),
            Column("name", "string", "The indicator's name."),
            Column("unit", "string", "The unit of its figures: percent, per_100, count, ..."),
            Column("direction", "string", "increase (higher is better) or decrease."),
            Column("baseline_year", "integer", "The baseline's year, when the plan fixes it."),
            Column("baseline_value", "number", f"The baseline, {UNIT_NOTE}."),
            Column("target_kind", "string", "level, relative (a change), parity or none."),
            Column(
                "target_value",
                "number",
                f"A level {UNIT_NOTE}, a change as a fraction (0.25 for +25%) or a parity value.",
            ),
            Column("target_year", "integer", "The year the target is set for."),
            Column(
                "headline_geography",
                "string",
                "Where the status is measured (geographies.code).",
            ),
            Column("country_series", "string", "Its per-country series (series.code), if any."),
        ),
        ("id",),
        (
            _fk("target", "plan_elements", "id"),
            _fk("headline_geography", "geographies", "code"),
            _fk("country_series", "series", "code"),
        ),
    ),
    Table(
        "geographies",
        "Geographies",
        "The world, ITU regions, development and income groups, and every country or territory.",
        (
            Column(
                "code", "string", "The geography's code (ISO 3166 alpha-3 for a country).", True
            ),
            Column(
                "kind", "string", "world, region, development_group, income_group or country.", True
            ),
            Column("name", "string", "Its short name."),
            Column("formal_name", "string", "A country's formal name (UNTERM)."),
            Column("m49", "string", "A country's UN M49 numeric code (three digits)."),
            Column("iso2", "string", "A country's ISO 3166 alpha-2 code."),
            Column("region", "string", "A country's ITU region (geographies.code)."),
            Column("is_member_state", "boolean", "An ITU Member State."),
        ),
        ("code",),
        (_fk("region", "", "code"),),
    ),
    Table(
        "observations",
        "The plan's figures",
        "Approved figures of the plan's indicators for the world and groups, each with its "
        "citation (publisher, publication, edition) and provenance (source).",
        (
            Column("indicator", "string", "indicators.id", True),
            Column("geography", "string", "geographies.code", True),
            Column("year", "integer", "The year the figure is for.", True),
            Column(
                "value", "number", "The figure, in its indicator's unit (indicators.unit).", True
            ),
            Column("publisher", "string", "Who published the figure."),
            Column("publication", "string", "The publication it appeared in."),
            Column("edition", "string", "The edition (ITU restates past years in each).", True),
            Column("source", "string", "How the portal obtained it (file, page or report)."),
            Column("source_url", "string", "Where that source can be read."),
            Column("reported_in", "string", "The report that quoted the figure, if any."),
        ),
        ("indicator", "geography", "year", "edition"),
        (
            _fk("indicator", "indicators", "id"),
            _fk("geography", "geographies", "code"),
        ),
    ),
    Table(
        "statuses",
        "Targets' status and verdict",
        "Each target's status (its pace towards the target, from the main indicator in its "
        "headline geography) and, once the target year has passed, its verdict.",
        (
            Column("target", "string", "plan_elements.id", True),
            Column("plan", "string", "The strategic plan's code.", True),
            Column("indicator", "string", "Its main indicator (indicators.id), if any."),
            Column("status", "string", "The pace status.", True),
            Column("method", "string", "The method that gave the status."),
            Column("reason", "string", "Why the status is what it is."),
            Column("base_year", "integer", "The year of the base figure."),
            Column("base_value", "number", "The base figure, in the indicator's unit."),
            Column("latest_year", "integer", "The year of the latest figure counted."),
            Column("latest_value", "number", "The latest figure, in the indicator's unit."),
            Column("target_value", "number", "The level to reach, in the indicator's unit."),
            Column("target_year", "integer", "The target's year."),
            Column("verdict", "string", "achieved, not_achieved, ... once the year has passed."),
            Column("verdict_reason", "string", "Why the verdict is what it is."),
            Column("verdict_year", "integer", "The year of the figure the verdict rests on."),
            Column("verdict_value", "number", "That figure, in the indicator's unit."),
        ),
        ("target",),
        (
            _fk("target", "plan_elements", "id"),
            _fk("indicator", "indicators", "id"),
        ),
    ),
    Table(
        "series",
        "Per-country series",
        "Statistics published per economy, e.g. Individuals using the Internet.",
        (
            Column("code", "string", "The series' code.", True),
            Column("name", "string", "Its name."),
            Column("definition", "string", "Its definition."),
            Column("unit", "string", "The unit of its figures: percent, per_100, count, ...", True),
            Column("direction", "string", "increase (higher is better) or decrease."),
        ),
        ("code",),
    ),
    Table(
        "releases",
        "Releases",
        "A series as one publication and edition published it, or as the portal computed it.",
        (
            Column("id", "integer", "The release's number in the portal.", True),
            Column("series", "string", "series.code", True),
            Column("publisher", "string", "Who published it.", True),
            Column("publication", "string", "The publication.", True),
            Column("edition", "string", "The edition.", True),
            Column("released_on", "date", "When it was released."),
            Column("source", "string", "The file read, and where it was copied from."),
            Column("source_url", "string", "Where that file can be read."),
            Column("licence", "string", "The licence its publisher gives."),
            Column("is_leading", "boolean", "The release whose figures lead the series."),
            Column("is_computed", "boolean", "Aggregates computed by the portal."),
        ),
        ("id",),
        (_fk("series", "series", "code"),),
    ),
    Table(
        "statistics",
        "Per-country statistics",
        "Every published figure of every release: release × geography × year × breakdown.",
        (
            Column("release", "integer", "releases.id", True),
            Column("geography", "string", "geographies.code", True),
            Column("year", "integer", "The year the figure is for.", True),
            Column("sex", "string", "_T (both sexes), F or M (SDMX codes).", True),
            Column("age", "string", "_T (all ages), Y0T14, Y15T24, Y25T74 or Y_GE75.", True),
            Column("area", "string", "_T (urban and rural), U or R.", True),
            Column("value", "number", "The figure, in its series' unit (series.unit).", True),
            Column("is_estimate", "boolean", "An estimate, as the publisher marks it."),
            Column(
                "coverage",
                "number",
                "Computed aggregates only: the share (0-1) of the group's population whose "
                "countries have a figure.",
            ),
        ),
        ("release", "geography", "year", "sex", "age", "area"),
        (
            _fk("release", "releases", "id"),
            _fk("geography", "geographies", "code"),
        ),
    ),
)


def cell(value) -> str:
    """A value as the declared type reads it. Text is written as it is, never guarded against
    spreadsheets (the API's CSV does that): this file is data for programs, and an apostrophe
    would change what it says."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


# --- the rows ------------------------------------------------------------------------------


@dataclass
class Reading:
    """What the tables share while they are written: the plans, the geographies' codes by id,
    and the sources met (for datapackage.json, written last)."""

    plans: list[StrategicPlan]
    geography_codes: dict[int, str] = field(default_factory=dict)
    sources: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    licences: dict[str, None] = field(default_factory=dict)


def _element_id(plan: str, kind: str, code) -> str:
    return f"{plan}:{kind}:{code}"


def plan_element_rows(reading: Reading) -> Iterator[list]:
    plan_ids = [plan.pk for plan in reading.plans]
    goals = (
        Goal.objects.filter(plan_id__in=plan_ids)
        .order_by("plan__period_start", "number")
        .values_list("plan__code", "number", "name", "description")
    )
    for plan, number, name, description in goals:
        yield [
            _element_id(plan, "goal", number),
            plan,
            "goal",
            number,
            None,
            number,
            name,
            description,
        ]
    targets = (
        Target.objects.filter(plan_id__in=plan_ids)
        .order_by("plan__period_start", "goal__number", "order")
        .values_list("plan__code", "goal__number", "code", "order", "text")
    )
    for plan, goal, code, order, text in targets:
        yield [
            _element_id(plan, "target", code),
            plan,
            "target",
            code,
            _element_id(plan, "goal", goal),
            order,
            text,
            None,
        ]


def indicator_rows(reading: Reading) -> Iterator[list]:
    indicators = (
        Indicator.objects.filter(plan__in=[plan.pk for plan in reading.plans])
        .order_by("plan__period_start", "target__goal__number", "target__order", "-is_main", "code")
        .values_list(
            "plan__code",
            "code",
            "target__code",
            "is_main",
            "name",
            "unit",
            "direction",
            "baseline_year",
            "baseline_value",
            "target_kind",
            "target_value",
            "target_year",
            "headline_geography_id",
            "country_series__code",
        )
    )
    for plan, code, target, *rest, geography_id, series in indicators:
        yield [
            f"{plan}:{code}",
            plan,
            code,
            _element_id(plan, "target", target),
            *rest,
            reading.geography_codes[geography_id],
            series,
        ]


def geography_rows(reading: Reading) -> Iterator[list]:
    geographies = list(
        Geography.objects.values_list(
            "pk",
            "code",
            "kind",
            "name",
            "formal_name",
            "m49",
            "iso2",
            "region_id",
            "is_member_state",
        )
    )
    reading.geography_codes = {row[0]: row[1] for row in geographies}
    for _pk, *values, region_id, is_member_state in geographies:
        yield [*values, reading.geography_codes.get(region_id), is_member_state]


def observation_rows(reading: Reading) -> Iterator[list]:
    observations = (
        Observation.objects.approved()
        .filter(indicator__plan__in=[plan.pk for plan in reading.plans])
        .order_by(
            "indicator__plan__period_start",
            "indicator__code",
            "geography__order",
            "geography__code",
            "year",
            "edition",
        )
        .values_list(
            "indicator__plan__code",
            "indicator__code",
            "geography_id",
            "year",
            "value",
            "publisher",
            "publication",
            "edition",
            "source",
            "source_url",
            "reported_in",
        )
    )
    sources = reading.sources.setdefault("observations", {})
    rows = observations.iterator(chunk_size=STATISTICS_CHUNK)
    for plan, code, geography_id, year, value, publisher, publication, *rest in rows:
        sources.setdefault((publisher, publication), "")
        yield [
            f"{plan}:{code}",
            reading.geography_codes[geography_id],
            year,
            value,
            publisher,
            publication,
            *rest,
        ]


def status_rows(reading: Reading) -> Iterator[list]:
    for plan in reading.plans:
        for item in plan_progress(plan):  # the status module's, as the API's progress/ gives it
            numbers, verdict = item.assessment.as_dict(), item.judgement.as_dict()
            indicator = item.indicator
            yield [
                _element_id(plan.code, "target", item.target.code),
                plan.code,
                f"{plan.code}:{indicator.code}" if indicator else None,
                numbers["status"],
                numbers["method"],
                numbers["reason"],
                numbers["base_year"],
                numbers["base_value"],
                numbers["latest_year"],
                numbers["latest_value"],
                numbers["target_value"],
                numbers["target_year"],
                verdict["verdict"],
                verdict["reason"],
                verdict["year"],
                verdict["value"],
            ]


def series_rows(reading: Reading) -> Iterator[list]:
    yield from Series.objects.values_list("code", "name", "definition", "unit", "direction")


def release_rows(reading: Reading) -> Iterator[list]:
    releases = Release.objects.order_by("series__order", "series__code", "pk").values_list(
        "pk",
        "series__code",
        "publisher",
        "publication",
        "edition",
        "released_on",
        "source",
        "source_url",
        "licence",
        "is_leading",
        "is_computed",
    )
    sources = reading.sources.setdefault("statistics", {})
    for row in releases:
        _pk, _series, publisher, publication, edition, *_rest, url, licence, _lead, _computed = row
        sources.setdefault((publisher, f"{publication}, {edition}"), url)
        if licence:
            reading.licences.setdefault(licence, None)
        yield row


def statistic_rows(reading: Reading) -> Iterator[list]:
    statistics = Statistic.objects.order_by(
        "release_id", "geography_id", "year", "sex", "age", "area"
    ).values_list(
        "release_id",
        "geography_id",
        "year",
        "sex",
        "age",
        "area",
        "value",
        "is_estimate",
        "coverage",
    )
    codes = reading.geography_codes
    rows = statistics.iterator(chunk_size=STATISTICS_CHUNK)
    # already cells (see WRITTEN_AS_IS): csv writes ints, text, floats (repr) and None as
    # cell() would; only the boolean is turned into text
    for release, geography_id, year, sex, age, area, value, is_estimate, coverage in rows:
        estimate = "true" if is_estimate else "false"
        yield (release, codes[geography_id], year, sex, age, area, value, estimate, coverage)


# In this order: geographies first (the others name them by code through reading.geography_codes)
ROWS: dict[str, Callable[[Reading], Iterable[list]]] = {
    "geographies": geography_rows,
    "plan_elements": plan_element_rows,
    "series": series_rows,
    "indicators": indicator_rows,
    "observations": observation_rows,
    "statuses": status_rows,
    "releases": release_rows,
    "statistics": statistic_rows,
}


# Tables whose rows are cells already: the millions of statistics, where a call of cell() per
# value was a third of the build's time
WRITTEN_AS_IS = {"statistics"}


# --- the descriptions ----------------------------------------------------------------------


def _licence(title: str) -> dict:
    # a Data Package licence needs a name of letters, digits, dots, dashes ("CC-BY-4.0")
    return {"name": re.sub(r"[^A-Za-z0-9._-]+", "-", title.strip()).strip("-"), "title": title}


def _sources(found: dict[tuple[str, str], str]) -> list[dict]:
    sources = []
    for (publisher, publication), url in sorted(found.items()):
        source = {"title": f"{publisher}, {publication}" if publisher else publication}
        if url:
            source["path"] = url
        sources.append(source)
    return sources


def table_schema(table: Table) -> dict:
    schema = {
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                "description": column.description,
                **({"constraints": {"required": True}} if column.required else {}),
            }
            for column in table.columns
        ],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.columns),
                "reference": {"resource": key.table, "fields": list(key.referenced)},
            }
            for key in table.foreign_keys
        ]
    return schema


def datapackage(reading: Reading, *, language: str, homepage: str) -> dict:
    """datapackage.json: a Tabular Data Package (Frictionless Data), after the tables are
    written (they give its sources and licences)."""
    plans = ", ".join(plan.code for plan in reading.plans)
    return {
        "profile": DATAPACKAGE_PROFILE,
        "name": "itu-strategic-plan-results",
        "title": "ITU Strategic Plan results portal",
        "description": f"The strategic plans ({plans}), their indicators, figures, statuses "
        "and the per-country statistics, in one download. Texts in the language "
        f"'{language}'.",
        **({"homepage": homepage} if homepage else {}),
        "languages": [language],
        "licenses": [_licence(title) for title in reading.licences],
        "sources": _sources(
            {key: url for found in reading.sources.values() for key, url in found.items()}
        ),
        "resources": [
            {
                "name": table.name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **(
                    {"sources": _sources(reading.sources[table.name])}
                    if table.name in reading.sources
                    else {}
                ),
                "schema": table_schema(table),
            }
            for table in TABLES
        ],
    }


def csv_metadata(*, language: str) -> dict:
    """csv-metadata.json: the same tables for CSV on the Web (W3C)."""

    def reference(key: ForeignKey, table: Table) -> dict:
        columns = list(key.columns)
        return {
            "columnReference": columns[0] if len(columns) == 1 else columns,
            "reference": {
                "resource": f"{key.table or table.name}.csv",
                "columnReference": key.referenced[0]
                if len(key.referenced) == 1
                else list(key.referenced),
            },
        }

    return {
        "@context": [CSVW_CONTEXT, {"@language": language}],
        "dc:title": "ITU Strategic Plan results portal",
        "tables": [
            {
                "url": table.path,
                "dc:title": table.title,
                "dc:description": table.description,
                "tableSchema": {
                    "columns": [
                        {
                            "name": column.name,
                            "titles": column.name,
                            "datatype": CSVW_DATATYPES[column.type],
                            "dc:description": column.description,
                            **({"required": True} if column.required else {}),
                        }
                        for column in table.columns
                    ],
                    "primaryKey": list(table.primary_key),
                    **(
                        {"foreignKeys": [reference(key, table) for key in table.foreign_keys]}
                        if table.foreign_keys
                        else {}
                    ),
                },
            }
            for table in TABLES
        ],
    }


# --- writing -------------------------------------------------------------------------------


def write_package(open_file: Callable[[str], IO[str]], *, homepage: str) -> None:
    """Write every table, then the two descriptions, each through `open_file(name)` (a text
    file, closed here). In the active language."""
    language = translation.get_language()
    reading = Reading(plans=list(StrategicPlan.objects.published().order_by("period_start")))
    tables = {table.name: table for table in TABLES}
    for name, rows in ROWS.items():
        with open_file(tables[name].path) as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow([column.name for column in tables[name].columns])
            if name in WRITTEN_AS_IS:
                writer.writerows(rows(reading))
            else:
                for row in rows(reading):
                    writer.writerow([cell(value) for value in row])
    descriptions = {
        "datapackage.json": datapackage(reading, language=language, homepage=homepage),
        "csv-metadata.json": csv_metadata(language=language),
    }
    for name, content in descriptions.items():
        with open_file(name) as stream:
            json.dump(content, stream, ensure_ascii=False, indent=2)


def write_zip(target: IO[bytes], *, homepage: str, date_time: tuple[int, ...]) -> None:
    """Write the package into `target` (a binary file) as a zip, each member compressed as its
    rows are written: no table is ever whole in memory. `date_time` stamps every member, so
    that the same data gives the same bytes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        @contextmanager
        def open_member(name: str):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                yield text
                text.flush()
                text.detach()  # the archive closes its member

        write_package(open_member, homepage=homepage)


def write_directory(directory: Path, *, homepage: str) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []

    def open_file(name: str):
        written.append(directory / name)
        return open(directory / name, "w", encoding="utf-8", newline="")

    write_package(open_file, homepage=homepage)
    return written


# --- the built files -----------------------------------------------------------------------


def package_directory() -> Path:
    """Where the built packages are kept: OPEN_DATA_DIRECTORY, else a folder of the system's
    temporary directory (shared by the processes of one machine)."""
    configured = getattr(settings, "OPEN_DATA_DIRECTORY", None)
    return Path(configured or Path(tempfile.gettempdir()) / "itu-rbm-open-data")


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=10).hexdigest()


def _zip_time(generation: Generation) -> tuple[int, ...]:
    # the last change to the content, in UTC: what the package's files date from
    return generation.modified.timetuple()[:6]


def _forget_old_packages(directory: Path, current: str) -> None:
    """Delete the packages (and locks) of other generations once they are STALE_SECONDS old, and
    the leftovers of interrupted builds. A process still reading one keeps its open file."""
    deadline = time.time() - STALE_SECONDS
    for path in directory.iterdir():
        if path.name.startswith(current):
            continue
        try:
            if path.stat().st_mtime < deadline:
                path.unlink()
        except FileNotFoundError:  # another process deleted it first
            pass


def _build_file(path: Path, *, homepage: str, generation: Generation) -> None:
    """Build the package into `path` through a temporary file beside it, renamed when complete:
    a reader never sees half a zip, and two processes building at once both leave a whole one
    (the same bytes: the same data and time stamps)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        try:
            write_zip(part, homepage=homepage, date_time=_zip_time(generation))
        except BaseException:
            Path(part.name).unlink(missing_ok=True)
            raise
    os.replace(part.name, path)


class Package(NamedTuple):
    generation: str  # the part of the name that the content generation and the year make
    name: str  # the file's name without ".zip", and the ETag

    @classmethod
    def of(cls, *, homepage: str, generation: Generation) -> "Package":
        """The package for the active language and `homepage` (absolute addresses in
        datapackage.json), once per content generation and year (verdicts change with it)."""
        current = _digest(generation.token, str(current_year()))
        return cls(current, f"{current}-{_digest(translation.get_language(), homepage)}")

    @property
    def etag(self) -> str:
        return f'"{self.name}"'


def cached_package(*, homepage: str, generation: Generation) -> IO[bytes]:
    """The package built into package_directory() (first built if it is not there yet), open
    for reading."""
    package = Package.of(homepage=homepage, generation=generation)
    path = package_directory() / f"{package.name}.zip"
    try:
        return path.open("rb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        # one build per machine: the other processes wait for it rather than build it again
        with open(path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                _build_file(path, homepage=homepage, generation=generation)
                _forget_old_packages(path.parent, package.generation)
        return path.open("rb")


# --- the view ------------------------------------------------------------------------------


def _file_response(file: IO[bytes]) -> FileResponse:
    return FileResponse(
        file, as_attachment=True, filename="datapackage.zip", content_type="application/zip"
    )


@require_safe
def download(request):
    """/<lang>/open-data/datapackage.zip (the address names the language): a visitor gets the
    file built for the content generation, revalidated by ETag; a signed-in user one built
    afresh, private (as itu_rbm.caching answers them)."""
    homepage = request.build_absolute_uri(reverse("opendata:index"))
    if request.user.is_authenticated:  # a query only when there is a session cookie
        file = tempfile.TemporaryFile()  # noqa: SIM115 (the answer closes it; it is gone then)
        write_zip(file, homepage=homepage, date_time=time.gmtime()[:6])
        file.seek(0)
        response = _file_response(file)
        response["Cache-Control"] = "private, no-store"
        return response
    generation = content_generation()
    etag = Package.of(homepage=homepage, generation=generation).etag
    # a 304 needs no file: the ETag names the generation the file is built from
    response = get_conditional_response(request, etag=etag, last_modified=generation.timestamp)
    if response is None:
        response = _file_response(cached_package(homepage=homepage, generation=generation))
    response["ETag"] = etag
    response["Last-Modified"] = generation.last_modified
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ALWAYS_VARY)
    return response


FORMATS.append(
    Format(
        name=_("Data Package (Frictionless Data), with CSV on the Web metadata"),
        description=_(
            "The whole portal in one zip: the plans' goals and targets, indicators, "
            "geographies, approved figures, each target's status and verdict, and the "
            "per-country series, releases and statistics, as CSV files with their schemas, "
            "keys and sources (datapackage.json and csv-metadata.json)."
        ),
        url_name="opendata:datapackage",
        standard_url="https://datapackage.org/",
    )
)
