"""What a valid figure is: the one definition used by the import command, the admin and the API."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import StrategicPlan
from itu_rbm.formats import plain_number

from .models import FIRST_YEAR, LAST_YEAR, Geography, Indicator, Observation
from .numbers import NumberError, read_plain_number

# publisher, publication and edition are the figure's citation; source (with source_url and
# reported_in) is its provenance: how the value was obtained
FIELDS = (
    "indicator",
    "geography",
    "year",
    "value",
    "publisher",
    "publication",
    "edition",
    "source",
    "source_url",
    "reported_in",
    "note",
)
REQUIRED = (
    "indicator",
    "geography",
    "year",
    "value",
    "publisher",
    "publication",
    "edition",
    "source",
)
TEXT_LIMITS = {
    "publisher": 200,
    "publication": 300,
    "edition": 300,
    "source": 500,
    "source_url": 500,
    "reported_in": 200,
}
CELL_LIMIT = 2000
"""Characters of any other cell (the note; codes, years and values are far shorter)."""
MULTILINE = ("note",)
"""Cells that may hold line breaks (a form's text area sends them as CR LF)."""


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str
    code: str = "invalid"  # "exists": the figure is already stored for that edition

    def __str__(self):
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


def parse_value(text) -> Decimal:
    """A number as files and tools write it (indicators.numbers.read_plain_number): a decimal
    point, no grouping. "407,5", "1,234" and "1_0" are refused, never guessed; forms read what a
    person types in their language first (indicators.numbers.read_typed_number) and pass a
    Decimal."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        value = Decimal(str(text))
    else:
        try:
            value = read_plain_number("" if text is None else text)
        except NumberError:
            raise ValueError(
                _(
                    "%(text)r is not a number in the import format: write it with a decimal "
                    "point and no thousands separator, e.g. 1234.5"
                )
                % {"text": text}
            ) from None
    if not value.is_finite():
        raise ValueError(_("%(text)r is not a finite number") % {"text": text})
    # the database keeps 14 digits before the decimal point and 6 after it
    if abs(value) >= Decimal(10) ** 14 or -value.as_tuple().exponent > 6:
        raise ValueError(
            _("%(text)r has too many digits (at most 14 before the point and 6 after)")
            % {"text": text}
        )
    return value


YEAR_TEXT = re.compile(r"[0-9]+")
"""A year as files write it: digits 0-9 only."""


def parse_year(text) -> int:
    """A year as digits 0-9 (int() alone also reads "2_019" and full-width digits)."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)  # a spreadsheet's number cell: 2019.0
    if isinstance(text, bool) or not YEAR_TEXT.fullmatch(str(text).strip()):
        raise ValueError(_("%(text)r is not a year") % {"text": text})
    year = int(str(text).strip())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("%(year)s is outside %(first)s–%(last)s")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def cell_problem(field: str, value) -> str | None:
    """Why a cell's text is not something people write, or None: longer than its field allows
    (TEXT_LIMITS, else CELL_LIMIT), or holding a control character (a NUL byte, an escape, a
    lone surrogate that UTF-8 cannot store; line breaks only in MULTILINE cells, tabs nowhere).
    Numbers (a spreadsheet's number cells, the API's JSON numbers) have no text to check."""
    if not isinstance(value, str):
        return None
    limit = TEXT_LIMITS.get(field, CELL_LIMIT)
    if len(value.strip()) > limit:
        return _("longer than %(limit)s characters") % {"limit": limit}
    allowed = "\r\n" if field in MULTILINE else ""
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) in ("Cc", "Cs") and char not in allowed:
            return _(
                "holds a control character (U+%(code)04X) at character %(position)s: remove it"
            ) % {"code": ord(char), "position": position}
    return None


@dataclass(frozen=True)
class ReportingWindow:
    """The years a plan takes figures for: from its earliest baseline year (less the years of
    context the plan records) to its target year plus the reach it records, and never after the
    current year."""

    first: int
    last: int
    plan_last: int  # the end of the window by the plan, before the current year cuts it
    plan_code: str

    @classmethod
    def of(cls, plan: StrategicPlan, indicators, *, today: date | None = None):
        """`indicators`: the plan's, with baseline_year and target_year loaded."""
        baselines = [i.baseline_year for i in indicators if i.baseline_year]
        targets = [i.target_year for i in indicators if i.target_year]
        first = min(baselines, default=plan.period_start) - plan.reporting_lookback_years
        plan_last = max(targets, default=plan.period_end) + plan.reporting_reach_years
        current_year = (today or timezone.localdate()).year
        return cls(max(first, FIRST_YEAR), min(plan_last, current_year), plan_last, plan.code)

    @classmethod
    def for_plan(cls, plan: StrategicPlan, *, today: date | None = None):
        """The plan's window, from its indicators' years (one query)."""
        years = Indicator.objects.filter(plan=plan).only("baseline_year", "target_year")
        return cls.of(plan, years, today=today)

    def problem(self, year: int) -> str | None:
        """Why `year` is refused, or None."""
        if year > self.last and year <= self.plan_last:
            return _(
                "%(year)s is in the future: figures are reported up to %(last)s, the current year"
            ) % {"year": year, "last": self.last}
        if not self.first <= year <= self.last:
            return _(
                "%(year)s is outside the reporting window of the %(plan)s plan: "
                "%(first)s to %(last)s"
            ) % {"year": year, "plan": self.plan_code, "first": self.first, "last": self.last}
        return None


def check_range(indicator: Indicator, value: Decimal) -> str | None:
    if indicator.min_value is not None and value < indicator.min_value:
        return _("%(value)s is below the lowest allowed value %(min)s for %(code)s") % {
            "value": plain_number(value),
            "min": plain_number(indicator.min_value),
            "code": indicator.code,
        }
    if indicator.max_value is not None and value > indicator.max_value:
        return _("%(value)s is above the highest allowed value %(max)s for %(code)s") % {
            "value": plain_number(value),
            "max": plain_number(indicator.max_value),
            "code": indicator.code,
        }
    return None


class ObservationValidator:
    """Checks rows against the plan's indicators, the geographies and the figures already stored.

    Reference data is read once (three queries), so validating a large file costs no query per row.
    """

    def __init__(self, plan: StrategicPlan, *, existing_for=None):
        self.plan = plan
        self.indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
        self.window = ReportingWindow.of(plan, self.indicators.values())
        self.geographies = {g.code: g for g in Geography.objects.all()}
        self.seen: dict[tuple, int | None] = {}
        existing = Observation.objects.filter(indicator__plan=plan)
        if existing_for is not None:
            existing = existing.filter(indicator__code__in=existing_for)
        # (indicator, geography, year, edition) -> (pk, value)
        self.existing = {
            (row[0], row[1], row[2], row[3]): (row[4], row[5])
            for row in existing.values_list(
                "indicator_id", "geography_id", "year", "edition", "pk", "value"
            )
        }

    def clean(self, raw: dict, line: int | None = None, *, exclude_pk=None):
        """Return (cleaned values, problems). `cleaned` holds model instances, not codes."""
        problems = []

        def problem(field, message, code="invalid"):
            problems.append(Problem(line, field, str(message), code))

        # a cell that is not text people write gets that one problem, no others on its account
        unreadable = {}
        for field in FIELDS:
            message = cell_problem(field, raw.get(field))
            if message:
                unreadable[field] = Problem(line, field, str(message))
        for field in REQUIRED:
            if raw.get(field) in (None, ""):
                problem(field, _("this field is required"))
        cleaned = {field: str(raw.get(field) or "").strip() for field in (*TEXT_LIMITS, "note")}
        if cleaned["source_url"] and not cleaned["source_url"].startswith(("http://", "https://")):
            problem("source_url", _("must be an http(s) address"))
        indicator = geography = None
        if raw.get("indicator") not in (None, ""):
            code = str(raw["indicator"]).strip()
            indicator = self.indicators.get(code)
            if indicator is None:
                problem(
                    "indicator",
                    _("unknown indicator %(code)r in plan %(plan)s")
                    % {"code": code, "plan": self.plan.code},
                )
        if raw.get("geography") not in (None, ""):
            code = str(raw["geography"]).strip()
            geography = self.geographies.get(code)
            if geography is None:
                problem("geography", _("unknown geography %(code)r") % {"code": code})
        year = value = None
        if raw.get("year") not in (None, ""):
            try:
                year = parse_year(raw["year"])
            except ValueError as error:
                problem("year", error)
            else:
                message = self.window.problem(year)
                if message:
                    problem("year", message)
        if raw.get("value") not in (None, ""):
            try:
                value = parse_value(raw["value"])
            except ValueError as error:
                problem("value", error)
        if indicator is not None and value is not None:
            message = check_range(indicator, value)
            if message:
                problem("value", message)
        if None not in (indicator, geography, year) and cleaned["edition"]:
            key = (indicator.pk, geography.pk, year, cleaned["edition"])
            if key in self.seen:
                problem(
                    "edition",
                    _("duplicate of line %(line)s (same indicator, geography, year and edition)")
                    % {"line": self.seen[key]},
                )
            elif key in self.existing and self.existing[key][0] != exclude_pk:
                problem(
                    "edition",
                    _(
                        "a figure for %(indicator)s, %(geography)s, %(year)s already exists in the "
                        "edition %(edition)r"
                    )
                    % {
                        "indicator": indicator.code,
                        "geography": geography.code,
                        "year": year,
                        "edition": cleaned["edition"],
                    },
                    code="exists",
                )
            self.seen.setdefault(key, line)
        cleaned.update(indicator=indicator, geography=geography, year=year, value=value)
        if unreadable:
            problems = [
                *unreadable.values(),
                *(problem for problem in problems if problem.field not in unreadable),
            ]
        return cleaned, problems

    def exists_identical(self, cleaned: dict) -> bool:
        key = (
            cleaned["indicator"].pk,
            cleaned["geography"].pk,
            cleaned["year"],
            cleaned["edition"],
        )
        return key in self.existing and self.existing[key][1] == cleaned["value"]
