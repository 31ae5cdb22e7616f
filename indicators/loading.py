"""Load geographies and indicator definitions from their JSON files (fixtures/indicators/).

Like the plan loader, this is an upsert by code that keeps text staff have edited.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from frameworks.loading import ContentError, LoadReport, PlanLoader
from frameworks.models import DataSource, Sector, StrategicPlan, Target

from .models import Geography, Indicator


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def _read(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ContentError(f"{path}: {error}") from None


def load_geographies(loader: PlanLoader, rows: list[dict]) -> None:
    geographies = {}
    for order, row in enumerate(rows, 1):
        geographies[row["code"]] = loader.sync(
            Geography,
            {"code": row["code"]},
            {"kind": row["kind"], "order": order, "source": row.get("source", "")},
            texts={"name": row["name"]},
        )
    for row in rows:
        if row.get("members"):
            missing = [code for code in row["members"] if code not in geographies]
            if missing:
                raise ContentError(f"geography {row['code']}: unknown members {missing}")
            loader.sync_set(
                geographies[row["code"]], "members", [geographies[c] for c in row["members"]]
            )


# Translated texts of an indicator: its name, definition and note, and the SDG metadata concepts
# (computation method, disaggregation, comparability) that its page shows.
INDICATOR_TEXTS = (
    "name",
    "definition",
    "note",
    "computation_method",
    "disaggregation",
    "comparability",
)


def load_indicators(loader: PlanLoader, plan: StrategicPlan, rows: list[dict]) -> None:
    targets = {target.code: target for target in Target.objects.filter(plan=plan)}
    geographies = {geography.code: geography for geography in Geography.objects.all()}
    sources = {source.code: source for source in DataSource.objects.all()}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    for row in rows:
        where = f"indicator {row.get('code')!r}"
        try:
            target = targets[row["target"]]
            headline = geographies[row["headline_geography"]]
            source = sources[row["data_source"]]
            # ITU's statistics are produced by the Development Sector (BDT's ICT data division)
            sector = sectors[row.get("sector", "ITU-D")]
        except KeyError as missing:
            raise ContentError(f"{where}: unknown {missing} in plan {plan.code}") from None
        loader.sync(
            Indicator,
            {"plan": plan, "code": row["code"]},
            {
                "target": target,
                "sector": sector,
                "is_main": bool(row.get("main")),
                "unit": row["unit"],
                "direction": row["direction"],
                "baseline_year": row.get("baseline_year"),
                "baseline_value": _decimal(row.get("baseline_value")),
                "target_kind": row["target_kind"],
                "target_value": _decimal(row.get("target_value")),
                "target_band_low": _decimal(row.get("target_band_low")),
                "target_band_high": _decimal(row.get("target_band_high")),
                "target_year": row["target_year"],
                "min_value": _decimal(row.get("min_value")),
                "max_value": _decimal(row.get("max_value")),
                "headline_geography": headline,
                "data_source": source,
            },
            texts={key: row.get(key) for key in INDICATOR_TEXTS},
        )


def load_indicator_language(loader: PlanLoader, plan, language: str, overlay: dict) -> None:
    """Apply `{indicator code: {field: text}}` in one language (indicators.<lang>.json)."""
    for code, fields in overlay.items():
        loader.sync(
            Indicator,
            {"plan": plan, "code": code},
            texts={name: {language: text} for name, text in fields.items()},
            must_exist=True,
        )


def load_indicator_files(
    geographies_path: Path, indicators_path: Path, *, plan: StrategicPlan, overwrite=False
) -> LoadReport:
    """Load geographies, indicators, and every `indicators.<lang>.json` beside the latter."""
    loader = PlanLoader(overwrite=overwrite)
    indicators_path = Path(indicators_path)
    geography_rows = _read(geographies_path)
    indicator_rows = _read(indicators_path)
    overlays = {
        path.stem.rsplit(".", 1)[1]: _read(path)
        for path in sorted(indicators_path.parent.glob(f"{indicators_path.stem}.*.json"))
    }
    with transaction.atomic():
        try:
            load_geographies(loader, geography_rows)
            load_indicators(loader, plan, indicator_rows)
            for language, overlay in overlays.items():
                load_indicator_language(loader, plan, language, overlay)
        except KeyError as missing:
            raise ContentError(f"missing key {missing}") from None
    return loader.report
