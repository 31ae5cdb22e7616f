"""Operations that span the data apps: start the next plan cycle by copying a plan (its
risks and indicators with it), compare two plans, and read the recent changes across the plan,
its risks, indicators and figures.

Texts are compared and copied column by column (`text_en`, `text_fr`…), never through the
untranslated field, which modeltranslation resolves to the active language.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname
from simple_history.utils import bulk_create_with_history

from frameworks import roles
from frameworks.i18n import LANGUAGES, fallback_languages, first_text, text_columns
from frameworks.models import (
    Enabler,
    FrameworkLevel,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    SdgContribution,
    StrategicPlan,
    Target,
    WsisContribution,
)
from frameworks.models import Value as PlanValue
from frameworks.services import history_delta, shown_value
from indicators.models import Indicator, Observation
from itu_rbm.caching import content_changed
from risks.models import Mitigation, Risk

PLAN_CODE = re.compile(r"^(\d{4})-(\d{4})$")


# --- the next cycle: copy a plan ----------------------------------------------------------------


class PlanCopyError(ValueError):
    """The copy cannot be made; the message says why (the code is taken or malformed)."""


def next_period(plan: StrategicPlan) -> tuple[int, int]:
    """The period after the plan's, of the same length: 2020–2023 → 2024–2027."""
    length = plan.period_end - plan.period_start + 1
    return plan.period_start + length, plan.period_end + length


def next_code(plan: StrategicPlan) -> str:
    start, end = next_period(plan)
    return f"{start}-{end}"


def retitled(title: str, source_period: tuple[int, int], period: tuple[int, int]) -> str | None:
    """A copy's title: the source's with its period replaced, in whatever dash the language
    writes ("ITU Strategic Plan 2020–2023" → "… 2024–2027", "2020-2023年" → "2024-2027年");
    None when the title does not name the period."""
    named = re.compile(rf"{source_period[0]}(\s*[-‐–—]\s*){source_period[1]}")
    if not named.search(title):
        return None
    return named.sub(lambda match: f"{period[0]}{match[1]}{period[1]}", title)


def copy_titles(
    source: StrategicPlan, period: tuple[int, int], given: dict[str, str] | None = None
) -> dict[str, str]:
    """The copy's title in every language that has one: as given, or derived from the source's
    (`retitled`). A source title that names no period cannot be derived: it must be given."""
    given = {language: text.strip() for language, text in (given or {}).items()}
    unknown = sorted(set(given) - set(LANGUAGES))
    if unknown:
        raise PlanCopyError(
            _("Unknown language %(codes)s: use one of %(languages)s.")
            % {"codes": ", ".join(unknown), "languages": ", ".join(LANGUAGES)}
        )
    source_period = (source.period_start, source.period_end)
    titles, missing = {}, []
    for language in LANGUAGES:
        old = getattr(source, build_localized_fieldname("title", language)) or ""
        if given.get(language):
            titles[language] = given[language]
        elif old:
            titles[language] = retitled(old, source_period, period) or ""
            if not titles[language]:
                missing.append(language)
    if missing:
        raise PlanCopyError(
            _(
                "The title of %(source)s does not name its period in %(languages)s: give the "
                "copy's title in those languages."
            )
            % {"source": source.code, "languages": ", ".join(missing)}
        )
    return titles


def _copy_row(instance, **changes):
    """An unsaved copy of a model instance: every column (each language of each text), with
    `changes` applied; a fresh version."""
    model = type(instance)
    values = {
        f.attname: instance.__dict__[f.attname]
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname in instance.__dict__
    }
    values.update(changes)
    if "version" in values:
        values["version"] = 1
    return model(**values)


def _bulk_copy(model, rows, *, user, reason, **remap):
    """Copy `rows` of `model` with their history; returns {old pk: new pk}. `remap` maps a
    foreign-key attname to {old pk: new pk} (or to a constant)."""
    rows = list(rows)
    copies = []
    for row in rows:
        changes = {}
        for attname, mapping in remap.items():
            old = row.__dict__[attname]
            changes[attname] = mapping.get(old) if isinstance(mapping, dict) else mapping
        copies.append(_copy_row(row, **changes))
    if not copies:
        return {}
    if hasattr(model, "history"):
        created = bulk_create_with_history(
            copies, model, default_user=user, default_change_reason=reason
        )
    else:
        created = model.objects.bulk_create(copies)
    return {row.pk: copy.pk for row, copy in zip(rows, created, strict=True)}


def _copy_links(through, source_field: str, mapping: dict, rows) -> None:
    """Copy many-to-many rows (e.g. goal ↔ SDG target), the source side remapped."""
    other = next(
        f.attname
        for f in through._meta.concrete_fields
        if not f.primary_key and f.attname != f"{source_field}_id"
    )
    through.objects.bulk_create(
        through(**{f"{source_field}_id": mapping[row[0]], other: row[1]}) for row in rows
    )


def _m2m_rows(relation, source_field: str, ids) -> list[tuple]:
    through = relation.through
    other = next(
        f.attname
        for f in through._meta.concrete_fields
        if not f.primary_key and f.attname != f"{source_field}_id"
    )
    return list(
        through.objects.filter(**{f"{source_field}_id__in": list(ids)})
        .order_by("pk")
        .values_list(f"{source_field}_id", other)
    )


def plan_copy(
    *, source: StrategicPlan, code: str, user=None, titles: dict[str, str] | None = None
) -> StrategicPlan:
    """Start the next plan cycle: a draft copy of `source` under `code`, its period shifted by
    the plan's length (2020-2023 → 2024-2027).

    Every element, every translation and every link is copied (levels, values, goals and their
    SDG targets, targets and their data sources, objectives and their goal links, outcomes,
    outputs, enablers and the objectives they support, risks and mitigations, the WSIS and SDG
    contributions, the custodian SDG indicators, the indicators' definitions); the observations
    are not. Each copied element starts at version 1 with a "copied from" history record.
    The copy gets its own title in every language (`copy_titles`: `titles` as given, the others
    with the period replaced) and an edition saying where it comes from.
    About 60 queries, whatever the plan's size.
    """
    code = (code or "").strip()
    match = PLAN_CODE.match(code)
    if not match:
        raise PlanCopyError(
            _("%(code)r is not a plan code: use the form 2024-2027.") % {"code": code}
        )
    if StrategicPlan.objects.filter(code=code).exists():
        raise PlanCopyError(_("A plan with the code %(code)s exists already.") % {"code": code})
    start, end = next_period(source)
    if (int(match[1]), int(match[2])) != (start, end):
        raise PlanCopyError(
            _(
                "The copy of %(source)s covers %(start)s–%(end)s (the next period of the same "
                "length): its code must be %(start)s-%(end)s, not %(code)s."
            )
            % {"source": source.code, "start": start, "end": end, "code": code}
        )
    own_titles = copy_titles(source, (start, end), titles)
    try:
        return _plan_copy(source, code, start, end, user, own_titles)
    except IntegrityError:  # the same code, copied by someone else a moment ago
        raise PlanCopyError(
            _("A plan with the code %(code)s exists already.") % {"code": code}
        ) from None


def _copied_edition(source: StrategicPlan) -> dict[str, str]:
    """The copy's edition in every language: a draft, and where it comes from."""
    editions = {}
    for language in LANGUAGES:
        with translation.override(language):
            editions[build_localized_fieldname("edition", language)] = _(
                "Draft, copied from the plan %(source)s on %(date)s."
            ) % {"source": source.code, "date": date.today().isoformat()}
    return editions


def _plan_copy(
    source: StrategicPlan, code: str, start: int, end: int, user, titles: dict[str, str]
) -> StrategicPlan:
    reason = f"copied from {source.code}"
    editions = _copied_edition(source)
    default = settings.LANGUAGE_CODE
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        # the untranslated columns mirror the default language, as when content is loaded
        plan_map = _bulk_copy(
            StrategicPlan,
            [StrategicPlan.objects.get(pk=source.pk)],
            user=user,
            reason=reason,
            code=code,
            period_start=start,
            period_end=end,
            status=StrategicPlan.Status.DRAFT,
            title=titles.get(default, ""),
            edition=editions[build_localized_fieldname("edition", default)],
            **{build_localized_fieldname("title", lang): text for lang, text in titles.items()},
            **editions,
        )
        plan = StrategicPlan.objects.get(pk=plan_map[source.pk])
        plan.custodian_indicators.set(source.custodian_indicators.all())

        def of_source(model):
            return model.objects.filter(plan=source).order_by("pk")

        common = {"user": user, "reason": reason, "plan_id": plan.pk}
        _bulk_copy(FrameworkLevel, of_source(FrameworkLevel), **common)
        _bulk_copy(PlanValue, of_source(PlanValue), **common)
        goals = _bulk_copy(Goal, of_source(Goal), **common)
        _copy_links(
            Goal.sdg_targets.through, "goal", goals, _m2m_rows(Goal.sdg_targets, "goal", goals)
        )
        targets = _bulk_copy(Target, of_source(Target), goal_id=goals, **common)
        _copy_links(
            Target.data_sources.through,
            "target",
            targets,
            _m2m_rows(Target.data_sources, "target", targets),
        )
        objectives = _bulk_copy(Objective, of_source(Objective), **common)
        _bulk_copy(
            ObjectiveGoalLink,
            ObjectiveGoalLink.objects.filter(objective__plan=source).order_by("pk"),
            user=user,
            reason=reason,
            objective_id=objectives,
            goal_id=goals,
        )
        outcomes = _bulk_copy(Outcome, of_source(Outcome), objective_id=objectives, **common)
        _bulk_copy(Output, of_source(Output), objective_id=objectives, **common)
        enablers = _bulk_copy(Enabler, of_source(Enabler), **common)
        _copy_links(
            Enabler.objectives.through,
            "enabler",
            enablers,
            [
                (enabler, objectives[objective])
                for enabler, objective in _m2m_rows(Enabler.objectives, "enabler", enablers)
            ],
        )
        _bulk_copy(WsisContribution, of_source(WsisContribution), **common)
        _bulk_copy(SdgContribution, of_source(SdgContribution), **common)
        risks = _bulk_copy(Risk, of_source(Risk), **common)
        _bulk_copy(
            Mitigation,
            Mitigation.objects.filter(risk__plan=source).order_by("pk"),
            user=user,
            reason=reason,
            risk_id=risks,
        )
        _bulk_copy(
            Indicator,
            of_source(Indicator),
            target_id=targets,
            outcome_id={None: None, **outcomes},
            **common,
        )
        # bulk inserts send no signal: the public answers are left behind here
        # (itu_rbm/caching.py)
        content_changed()
    return plan


def plan_contents(plan: StrategicPlan) -> dict[str, int]:
    """How many elements and links of each kind a plan has (what `copy_plan` reports)."""
    return {
        "framework levels": FrameworkLevel.objects.filter(plan=plan).count(),
        "values": PlanValue.objects.filter(plan=plan).count(),
        "goals": Goal.objects.filter(plan=plan).count(),
        "goal–SDG target links": Goal.sdg_targets.through.objects.filter(goal__plan=plan).count(),
        "targets": Target.objects.filter(plan=plan).count(),
        "target–data source links": Target.data_sources.through.objects.filter(
            target__plan=plan
        ).count(),
        "objectives": Objective.objects.filter(plan=plan).count(),
        "objective–goal links": ObjectiveGoalLink.objects.filter(objective__plan=plan).count(),
        "outcomes": Outcome.objects.filter(plan=plan).count(),
        "outputs": Output.objects.filter(plan=plan).count(),
        "enablers": Enabler.objects.filter(plan=plan).count(),
        "enabler–objective links": Enabler.objectives.through.objects.filter(
            enabler__plan=plan
        ).count(),
        "WSIS contributions": WsisContribution.objects.filter(plan=plan).count(),
        "SDG contributions": SdgContribution.objects.filter(plan=plan).count(),
        "risks": Risk.objects.filter(plan=plan).count(),
        "mitigations": Mitigation.objects.filter(risk__plan=plan).count(),
        "custodian SDG indicators": plan.custodian_indicators.count(),
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "observations": Observation.objects.filter(indicator__plan=plan).count(),
    }


# --- comparing two plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of plan element as the comparison sees it: its key (the code that pairs an
    element of one plan with its counterpart in the other) and what is compared."""

    model: type
    label: object  # lazy text
    plan_path: str
    key: tuple[str, ...]  # columns joined by "." into the element's code
    texts: tuple[str, ...]  # translated fields: a difference in any language is a rewording
    facts: tuple[str, ...] = ()  # other columns: a difference is a change

    def code(self, row: dict) -> str:
        return " → ".join(str(row[column]) for column in self.key)

    @property
    def sector_column(self) -> str | None:
        return (
            getattr(self.model, "sector_path", None) if roles.is_sector_owned(self.model) else None
        )

    def sector_of(self, row: dict) -> str:
        """The code of the sector that owns the row's element (frameworks.roles)."""
        column = self.sector_column
        if column is None or column not in row:
            return roles.INTERSECTORAL
        mapping = getattr(self.model, "sector_of_value", None)
        return mapping.get(row[column], roles.INTERSECTORAL) if mapping else row[column]


def comparison_kinds() -> list[Kind]:
    return [
        Kind(StrategicPlan, gettext_lazy("Plan"), "pk", (), ("title", "vision", "mission")),
        Kind(FrameworkLevel, gettext_lazy("RBM level"), "plan", ("code",), ("name", "definition")),
        Kind(PlanValue, gettext_lazy("Value"), "plan", ("order",), ("name", "description")),
        Kind(
            Goal, gettext_lazy("Goal"), "plan", ("number",), ("short_name", "name", "description")
        ),
        Kind(
            Target,
            gettext_lazy("Target"),
            "plan",
            ("code",),
            ("text",),
            ("goal__number", "proposed"),
        ),
        Kind(
            Objective,
            gettext_lazy("Objective"),
            "plan",
            ("code",),
            ("short_name", "text"),
            ("sector__code",),
        ),
        Kind(
            ObjectiveGoalLink,
            gettext_lazy("Objective–goal link"),
            "objective__plan",
            ("objective__code", "goal__number"),
            (),
            ("kind",),
        ),
        Kind(Outcome, gettext_lazy("Outcome"), "plan", ("code",), ("text",)),
        Kind(Output, gettext_lazy("Output"), "plan", ("code",), ("text",)),
        Kind(
            Enabler,
            gettext_lazy("Enabler"),
            "plan",
            ("code",),
            ("activity", "contribution", "results", "note"),
        ),
        Kind(Risk, gettext_lazy("Risk"), "plan", ("number",), ("title", "description")),
        Kind(
            Mitigation,
            gettext_lazy("Mitigation"),
            "risk__plan",
            ("risk__number", "order"),
            ("text",),
            ("strategy",),
        ),
        Kind(
            Indicator,
            gettext_lazy("Indicator"),
            "plan",
            ("code",),
            ("name", "definition"),
            ("target__code", "unit", "target_kind", "target_value", "target_year"),
        ),
    ]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Difference:
    kind: str
    code: str
    change: str  # "added", "removed", "reworded" or "changed"
    text: str = ""  # added/removed: the element's first text, in the active language
    fields: tuple[FieldChange, ...] = ()
    sector: str = roles.INTERSECTORAL  # the sector that owns the element (frameworks.roles)


def compare_rows(
    kind: Kind, old: dict[str, dict], new: dict[str, dict], language: str
) -> list[Difference]:
    """Pure: the differences between two plans' rows of one kind, each keyed by code.

    An element is *reworded* when any language of any of its texts differs, and shown with the
    old and new text in `language` (or its fallback); *changed* when only other facts differ.
    """
    languages = fallback_languages(language)
    label = str(kind.label)
    result = []
    for code in sorted(old.keys() | new.keys(), key=_natural):
        before, after = old.get(code), new.get(code)
        sector = kind.sector_of(after or before)
        if before is None or after is None:
            row = after if before is None else before
            first = first_text(row, kind.texts[0], languages)[0] if kind.texts else ""
            change = "added" if before is None else "removed"
            result.append(Difference(label, code, change, first, sector=sector))
            continue
        changes = []
        reworded = False
        for name in kind.texts:
            columns = text_columns(name)
            if any((before.get(c) or "") != (after.get(c) or "") for c in columns):
                reworded = True
                changed_in = [
                    language
                    for language, column in zip(LANGUAGES, columns, strict=True)
                    if (before.get(column) or "") != (after.get(column) or "")
                ]
                shown_in = languages
                if first_text(before, name, languages) == first_text(after, name, languages):
                    shown_in = changed_in[:1]  # unchanged in the active language: show where it is
                changes.append(
                    FieldChange(
                        f"{_field_label(kind.model, name)} ({', '.join(changed_in)})",
                        first_text(before, name, shown_in)[0],
                        first_text(after, name, shown_in)[0],
                    )
                )
        for name in kind.facts:
            if before.get(name) != after.get(name):
                changes.append(
                    FieldChange(
                        _field_label(kind.model, name),
                        shown_value(before.get(name)),
                        shown_value(after.get(name)),
                    )
                )
        if changes:
            change = "reworded" if reworded else "changed"
            result.append(Difference(label, code, change, fields=tuple(changes), sector=sector))
    return result


def _natural(code: str):
    """Sort key: 1.2 before 1.10, R.1 before R.2."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", code)
    ]


def _field_label(model, name: str) -> str:
    path = name.split("__")
    try:
        return str(model._meta.get_field(path[0]).verbose_name)
    except Exception:
        return name


def _rows_by_plan(kind: Kind, plans: list[StrategicPlan]) -> dict[int, dict[str, dict]]:
    columns = [
        *kind.key,
        *(column for name in kind.texts for column in text_columns(name)),
        *kind.facts,
    ]
    if kind.sector_column and kind.sector_column not in columns:
        columns.append(kind.sector_column)
    plan_column = kind.plan_path if kind.plan_path != "pk" else "pk"
    rows = (
        kind.model.objects.filter(**{f"{plan_column}__in": [plan.pk for plan in plans]})
        .order_by()
        .values(plan_column, *columns)
    )
    result: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        code = kind.code(row) or "—"
        result[row[plan_column]][code] = row
    return result


def plan_compare(
    old: StrategicPlan, new: StrategicPlan, *, language: str | None = None
) -> list[Difference]:
    """What differs between two plans, element by element (one query per kind of element):
    added, removed, reworded (a text in some language differs) or changed (another fact)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    result = []
    for kind in comparison_kinds():
        rows = _rows_by_plan(kind, [old, new])
        result.extend(compare_rows(kind, rows.get(old.pk, {}), rows.get(new.pk, {}), language))
    return result


# --- recent changes across the plan -------------------------------------------------------------

# The history-tracked content, each with what names an element in a list of changes.
TRACKED = {
    "frameworks.strategicplan": ("code",),
    "frameworks.frameworklevel": ("code",),
    "frameworks.value": ("order",),
    "frameworks.goal": ("number",),
    "frameworks.target": ("code",),
    "frameworks.objective": ("code",),
    "frameworks.objectivegoallink": ("objective__code", "goal__number"),
    "frameworks.outcome": ("code",),
    "frameworks.output": ("code",),
    "frameworks.enabler": ("code",),
    "risks.risk": ("number",),
    "risks.mitigation": ("risk__number", "order"),
    "risks.riskassessment": ("risk__number", "year"),
    "indicators.indicator": ("code",),
    "indicators.observation": ("indicator__code", "geography__code", "year", "edition"),
    "indicators.outputdelivery": ("output__code", "year"),
}
ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass
class Change:
    model: type
    record: object
    element: str
    action: str
    fields: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def admin_url(self) -> str:
        """The element's history page in the admin."""
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.record.id])


def recent_changes(*, limit: int = 50, kinds: list[str] | None = None) -> list[Change]:
    """The latest `limit` changes to plan content and figures, newest first: who, when, which
    element, which fields. One query picks them across every history table, then two per kind
    of element present (the records, and the records before them to diff against); never one
    per change."""
    labels = [label for label in TRACKED if kinds is None or label.split(".")[1] in kinds]
    if not labels:
        return []
    history = {label: apps.get_model(label).history.model for label in labels}
    picks = [
        history[label]
        .objects.order_by()
        .annotate(label=Value(label, output_field=CharField()))
        .values_list("label", "history_id", "history_date")
        for label in labels
    ]
    union = picks[0].union(*picks[1:], all=True) if len(picks) > 1 else picks[0]
    latest = list(union.order_by("-history_date", "-history_id")[:limit])
    by_label = defaultdict(list)
    for label, history_id, _when in latest:
        by_label[label].append(history_id)
    records = {}
    for label, ids in by_label.items():
        model = apps.get_model(label)
        historical = history[label]
        related = sorted({path.rsplit("__", 1)[0] for path in TRACKED[label] if "__" in path})
        previous = Subquery(
            historical.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            historical.objects.filter(history_id__in=ids)
            .select_related("history_user", *related)
            .annotate(previous_id=previous)
        )
        before = historical.objects.in_bulk(
            [row.previous_id for row in rows if row.previous_id is not None]
        )
        for row in rows:
            fields = []
            if row.history_type == "~" and row.previous_id in before:
                delta = history_delta(row, before[row.previous_id])
                fields = [
                    str(model._meta.get_field(change.field).verbose_name)
                    for change in delta.changes
                ]
            records[(label, row.history_id)] = Change(
                model,
                row,
                _element(row, TRACKED[label]),
                str(ACTIONS.get(row.history_type, "")),
                fields,
            )
    return [records[(label, history_id)] for label, history_id, _when in latest]


def _element(record, path: tuple[str, ...]) -> str:
    parts = []
    for column in path:
        value = record
        for step in column.split("__"):
            value = getattr(value, step, None) if value is not None else None
        parts.append(shown_value(value))
    return " · ".join(part for part in parts if part) or f"#{record.id}"
