"""What a valid figure is: the one definition used by the import command, the admin and the API."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from frameworks.models import StrategicPlan
from itu_rbm.formats import plain_number

from .models import FIRST_YEAR, LAST_YEAR, Geography, Indicator, Observation

FIELDS = ("indicator", "geography", "year", "value", "source", "source_url", "edition", "note")
REQUIRED = ("indicator", "geography", "year", "value", "source", "edition")


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
    """A decimal number; words such as "around half" are refused, never guessed."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        value = Decimal(str(text))
    else:
        cleaned = str(text).strip().replace(",", "") if text is not None else ""
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(_("%(text)r is not a number") % {"text": text}) from None
    if not value.is_finite():
        raise ValueError(_("%(text)r is not a finite number") % {"text": text})
    # the database keeps 14 digits before the decimal point and 6 after it
    if abs(value) >= Decimal(10) ** 14 or -value.as_tuple().exponent > 6:
        raise ValueError(
            _("%(text)r has too many digits (at most 14 before the point and 6 after)")
            % {"text": text}
        )
    return value


def parse_year(text) -> int:
    try:
        year = int(str(text).strip())
    except ValueError:
        raise ValueError(_("%(text)r is not a year") % {"text": text}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("%(year)s is outside %(first)s–%(last)s")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


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

        for field in REQUIRED:
            if raw.get(field) in (None, ""):
                problem(field, _("this field is required"))
        cleaned = {
            "source": str(raw.get("source") or "").strip(),
            "source_url": str(raw.get("source_url") or "").strip(),
            "edition": str(raw.get("edition") or "").strip(),
            "note": str(raw.get("note") or "").strip(),
        }
        for field, limit in (("source", 500), ("source_url", 500), ("edition", 300)):
            if len(cleaned[field]) > limit:
                problem(field, _("longer than %(limit)s characters") % {"limit": limit})
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
        return cleaned, problems

    def exists_identical(self, cleaned: dict) -> bool:
        key = (
            cleaned["indicator"].pk,
            cleaned["geography"].pk,
            cleaned["year"],
            cleaned["edition"],
        )
        return key in self.existing and self.existing[key][1] == cleaned["value"]
