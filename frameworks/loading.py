"""Load a plan from its content file (docs/plan-content-format.md) into the database.

Loading is an upsert keyed by codes: what is missing is created and empty translations are
filled, but text that is already there is kept unless `overwrite` is asked for, so that staff
edits survive `make data`. Loading the same file twice writes nothing the second time.
"""

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from itu_rbm.caching import content_changed

from .i18n import LANGUAGES
from .models import (
    DataSource,
    Editable,
    Enabler,
    FrameworkLevel,
    Goal,
    Objective,
    ObjectiveGoalLink,
    Outcome,
    Output,
    Sdg,
    SdgContribution,
    SdgIndicator,
    SdgTarget,
    Sector,
    StrategicPlan,
    Target,
    Value,
    WsisActionLine,
    WsisContribution,
)


class ContentError(ValueError):
    """The content file is not in the expected shape; the message says where."""


@dataclass
class LoadReport:
    """What a load changed, each row counted once: as created, or else as updated. A row made from
    the plan file and then given its translations by a language file, or its links, was created."""

    created: dict[type, set] = field(default_factory=dict)  # model: primary keys
    updated: dict[type, set] = field(default_factory=dict)

    def record_created(self, instance) -> None:
        self.created.setdefault(type(instance), set()).add(instance.pk)

    def record_updated(self, instance) -> None:
        model = type(instance)
        if instance.pk not in self.created.get(model, ()):
            self.updated.setdefault(model, set()).add(instance.pk)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self):
        if not self.changed:
            return "nothing to change"
        parts = [f"created {_counted(model, rows)}" for model, rows in _by_name(self.created)]
        parts += [f"updated {_counted(model, rows)}" for model, rows in _by_name(self.updated)]
        return ", ".join(parts)


def _by_name(rows_by_model: dict[type, set]) -> list[tuple[type, set]]:
    return sorted(rows_by_model.items(), key=lambda item: str(item[0]._meta.verbose_name_plural))


def _counted(model, rows: set) -> str:
    """ "1 strategic plan", "26 targets": the model's name as the count needs it."""
    options = model._meta
    return f"{len(rows)} {options.verbose_name if len(rows) == 1 else options.verbose_name_plural}"


def sdg_target_order(code: str) -> int:
    """Sort key for SDG targets: numbered targets before lettered ones (9.1 < 9.5 < 9.a)."""
    goal, target = code.split(".")
    rank = int(target) if target.isdigit() else 100 + ord(target) - ord("a")
    return int(goal) * 1000 + rank


@dataclass(frozen=True)
class PlanSection:
    """A part of the plan file that another data app loads (risks.loading.RISKS): `load(loader,
    plan, content)` after the plan's own elements, and the keys of its elements in the language
    files ({kind: (plan, code) -> (model, lookup)})."""

    load: Callable[["PlanLoader", StrategicPlan, dict], None]
    element_keys: dict[str, Callable[[StrategicPlan, str], tuple[type, dict]]] = field(
        default_factory=dict
    )


class PlanLoader:
    def __init__(self, *, overwrite: bool = False, sections: Sequence[PlanSection] = ()):
        self.overwrite = overwrite
        self.sections = tuple(sections)
        self.element_keys = {
            kind: key for section in self.sections for kind, key in section.element_keys.items()
        }
        self.report = LoadReport()

    # -- writing one row ------------------------------------------------------------------
    def sync(
        self,
        model,
        lookup: dict,
        values: dict | None = None,
        texts: dict | None = None,
        *,
        must_exist: bool = False,
    ):
        """Get or create one row; set `values` and the translations in `texts`.

        `texts` maps a field to {language: text}. Existing non-empty text is kept unless
        overwriting. The row is saved only when something differs.
        """
        values = values or {}
        columns = {}
        for name, by_language in (texts or {}).items():
            if by_language is None:
                continue
            if not isinstance(by_language, dict):
                raise ContentError(
                    f"{model.__name__} {lookup}: {name} must be an object of languages"
                )
            for language, text in by_language.items():
                if language not in LANGUAGES:
                    raise ContentError(f"{model.__name__} {lookup}: unknown language {language!r}")
                columns[build_localized_fieldname(name, language)] = (text or "").strip()
        instance = model.objects.filter(**lookup).first()
        if instance is None and must_exist:
            raise ContentError(f"{model.__name__} {lookup}: no such element to translate")
        if instance is None:
            instance = model(**lookup, **values)
            for column, text in columns.items():
                setattr(instance, column, text)
            self._fill_default_columns(instance, texts or {})
            instance.full_clean(validate_unique=False, validate_constraints=False)
            instance.save()
            self.report.record_created(instance)
            return instance
        changed = False
        for name, value in values.items():
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                changed = True
        for column, text in columns.items():
            current = getattr(instance, column) or ""
            if current != text and (self.overwrite or not current):
                setattr(instance, column, text)
                changed = True
        if changed:
            self._fill_default_columns(instance, texts or {})
            if isinstance(instance, Editable):
                instance.bump_version()
            instance.save()
            self.report.record_updated(instance)
        return instance

    @staticmethod
    def _fill_default_columns(instance, texts):
        # The untranslated column mirrors the default language, as modeltranslation expects.
        for name in texts:
            default = getattr(instance, build_localized_fieldname(name, settings.LANGUAGE_CODE))
            instance.__dict__[name] = default or ""

    def sync_set(self, instance, relation: str, wanted) -> None:
        manager = getattr(instance, relation)
        wanted = set(wanted)
        if set(manager.all()) != wanted:
            manager.set(wanted)
            self.report.record_updated(instance)

    # -- the plan -------------------------------------------------------------------------
    def load(self, content: dict) -> StrategicPlan:
        try:
            plan = self._load(content)
            for section in self.sections:
                section.load(self, plan, content)
            return plan
        except KeyError as missing:
            raise ContentError(f"missing key {missing}") from None

    def _load(self, content):
        sources = {
            row["code"]: self.sync(
                DataSource,
                {"code": row["code"]},
                # the web address is kept as stored when the file is silent
                {"url": row["url"]} if "url" in row else {},
                texts={"name": row["name"], "contact": row.get("contact")},
            )
            for row in content["data_sources"]
        }
        plan = self.sync(
            StrategicPlan,
            {"code": content["code"]},
            {
                "period_start": content["period_start"],
                "period_end": content["period_end"],
                **({"status": content["status"]} if "status" in content else {}),
                # the reporting window: kept as stored (or the defaults) when the file is silent
                **{
                    key: _years(content, key)
                    for key in ("reporting_reach_years", "reporting_lookback_years")
                    if key in content
                },
            },
            texts={
                key: content.get(key)
                for key in (
                    "title",
                    "resolution",
                    "edition",
                    "vision",
                    "mission",
                    "values_intro",
                    "sources",
                )
            },
        )
        for order, row in enumerate(content["framework_levels"], 1):
            self.sync(
                FrameworkLevel,
                {"plan": plan, "code": row["code"]},
                {"order": order},
                texts={"name": row["name"], "definition": row["definition"]},
            )
        for order, row in enumerate(content["values"], 1):
            self.sync(
                Value,
                {"plan": plan, "order": order},
                texts={"name": row["name"], "description": row["description"]},
            )
        sdg_targets = self._load_sdgs(content)
        for row in content["goals"]:
            goal = self.sync(
                Goal,
                {"plan": plan, "number": row["number"]},
                texts={key: row.get(key) for key in ("short_name", "name", "description", "note")},
            )
            self.sync_set(goal, "sdg_targets", [sdg_targets[code] for code in row["sdg_targets"]])
            for order, target_row in enumerate(row["targets"], 1):
                target = self.sync(
                    Target,
                    {"plan": plan, "code": target_row["code"]},
                    {"goal": goal, "order": order, "proposed": target_row["proposed"]},
                    texts={"text": target_row["text"], "note": target_row.get("note")},
                )
                self.sync_set(
                    target, "data_sources", [sources[code] for code in target_row["data_sources"]]
                )
        goals = {goal.number: goal for goal in Goal.objects.filter(plan=plan)}
        objectives = self._load_objectives(plan, content, goals)
        for order, row in enumerate(content["enablers"], 1):
            supports_all = row["objectives"] == "all"
            enabler = self.sync(
                Enabler,
                {"plan": plan, "code": row["code"]},
                {
                    "order": order,
                    "provider": row["provider"],
                    "supports_all_objectives": supports_all,
                },
                texts={
                    key: row.get(key) for key in ("activity", "contribution", "results", "note")
                },
            )
            codes = [] if supports_all else row["objectives"]
            self.sync_set(enabler, "objectives", [objectives[code] for code in codes])
        for order, row in enumerate(content["wsis_action_lines"], 1):
            line = self.sync(
                WsisActionLine, {"code": row["code"]}, {"order": order}, texts={"name": row["name"]}
            )
            self.sync(
                WsisContribution,
                {"plan": plan, "action_line": line},
                {"outputs": row["outputs"], "activities": row["activities"]},
            )
        for row in content["sdgs"]:
            sdg = Sdg.objects.get(number=row["number"])
            self.sync(
                SdgContribution,
                {"plan": plan, "sdg": sdg},
                {"outputs": row["outputs"], "activities": row["activities"]},
            )
        self.sync_set(
            plan,
            "custodian_indicators",
            [SdgIndicator.objects.get(code=code) for code in content["custodian_indicators"]],
        )
        return plan

    def _load_sdgs(self, content):
        for row in content["sdgs"]:
            self.sync(Sdg, {"number": row["number"]}, texts={"name": row["name"]})
        sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
        targets = {}
        for row in content["sdg_targets"]:
            code = row["code"]
            if not re.fullmatch(r"\d+\.[0-9a-z]+", code):
                raise ContentError(f"SDG target {code!r} is not of the form 9.c")
            targets[code] = self.sync(
                SdgTarget,
                {"code": code},
                {"sdg": sdgs[int(code.split(".")[0])], "order": sdg_target_order(code)},
            )
            for indicator in row["indicators"]:
                self.sync(SdgIndicator, {"code": indicator}, {"target": targets[code]})
        for code in content["custodian_indicators"]:
            target_code = code.rsplit(".", 1)[0]
            if target_code not in targets:
                targets[target_code] = self.sync(
                    SdgTarget,
                    {"code": target_code},
                    {"sdg": sdgs[int(code.split(".")[0])], "order": sdg_target_order(target_code)},
                )
            self.sync(SdgIndicator, {"code": code}, {"target": targets[target_code]})
        return targets

    def _load_objectives(self, plan, content, goals):
        objectives = {}
        for sector_order, sector_row in enumerate(content["sectors"], 1):
            first = sector_row["objectives"][0]["code"] if sector_row["objectives"] else "?"
            sector = self.sync(
                Sector,
                {"code": sector_row["code"]},
                {"order": sector_order, "prefix": first[0]},
                texts={"name": sector_row["name"]},
            )
            for order, row in enumerate(sector_row["objectives"], 1):
                objective = self.sync(
                    Objective,
                    {"plan": plan, "code": row["code"]},
                    {"sector": sector, "order": order},
                    texts={key: row.get(key) for key in ("short_name", "text", "note")},
                )
                objectives[row["code"]] = objective
                for link in row.get("goal_links", []):
                    self.sync(
                        ObjectiveGoalLink,
                        {"objective": objective, "goal": goals[link["goal"]]},
                        {"kind": link["kind"]},
                    )
                for kind, model in (("outcomes", Outcome), ("outputs", Output)):
                    for element_order, element in enumerate(row[kind], 1):
                        self.sync(
                            model,
                            {"plan": plan, "code": element["code"]},
                            {"objective": objective, "order": element_order},
                            texts={"text": element["text"], "note": element.get("note")},
                        )
        return objectives

    # -- other languages ------------------------------------------------------------------
    def load_language(self, plan: StrategicPlan, language: str, overlay: dict) -> None:
        """Apply a flat `{element key: {field: text}}` file for one language."""
        if language not in LANGUAGES:
            raise ContentError(f"unknown language {language!r}")
        for key, fields in overlay.items():
            model, lookup = self._element(plan, key)
            self.sync(
                model,
                lookup,
                texts={name: {language: text} for name, text in fields.items()},
                must_exist=True,
            )

    def _element(self, plan, key):
        kind, _sep, code = key.partition(":")
        simple = {
            "level": (FrameworkLevel, "code"),
            "goal": (Goal, "number"),
            "target": (Target, "code"),
            "objective": (Objective, "code"),
            "outcome": (Outcome, "code"),
            "output": (Output, "code"),
            "enabler": (Enabler, "code"),
            "value": (Value, "order"),
        }
        if kind == "plan":
            return StrategicPlan, {"pk": plan.pk}
        if kind in simple:
            model, column = simple[kind]
            return model, {"plan": plan, column: code}
        if kind in self.element_keys:
            return self.element_keys[kind](plan, code)
        global_keys = {
            "data_source": (DataSource, "code"),
            "sector": (Sector, "code"),
            "wsis": (WsisActionLine, "code"),
            "sdg": (Sdg, "number"),
        }
        if kind in global_keys:
            model, column = global_keys[kind]
            return model, {column: code}
        raise ContentError(f"unknown element key {key!r}")


def _years(content: dict, key: str) -> int:
    value = content[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 20:
        raise ContentError(f"{key} must be a whole number of years from 0 to 20, not {value!r}")
    return value


def load_plan_file(
    path: Path, *, overwrite: bool = False, sections: Sequence[PlanSection] = ()
) -> tuple[StrategicPlan, LoadReport]:
    """Load `<code>.json` and every `<code>.<lang>.json` beside it, in one transaction: the plan's
    own elements, then each of `sections` (the parts other data apps own)."""
    path = Path(path)
    loader = PlanLoader(overwrite=overwrite, sections=sections)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ContentError(f"{path}: {error}") from None
    with transaction.atomic():
        plan = loader.load(content)
        for overlay_path in sorted(path.parent.glob(f"{path.stem}.*.json")):
            language = overlay_path.stem.rsplit(".", 1)[1]
            overlay = json.loads(overlay_path.read_text(encoding="utf-8"))
            loader.load_language(plan, language, overlay)
        # Each save has said so already (the receivers of itu_rbm/caching.py); said once more
        # here, a load stays correct if it ever writes in bulk.
        content_changed()
    return plan, loader.report
