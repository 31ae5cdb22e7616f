"""Import of statistics files (CSV or XLSX): every row is checked first, and if any is bad
nothing is written."""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from frameworks.models import StrategicPlan

from .models import Observation
from .validation import FIELDS, ObservationValidator, Problem


class FileFormatError(ValueError):
    """The file cannot be read as a table of observations."""


@dataclass
class ImportResult:
    rows: int = 0
    valid: int = 0
    created: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, row) pairs from a CSV or XLSX file whose first row names the columns."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _read_csv(path)
    elif suffix in {".xlsx", ".xlsm"}:
        yield from _read_xlsx(path)
    else:
        raise FileFormatError(f"{path.name}: use a .csv or .xlsx file")


def _check_header(header, name):
    header = [str(column or "").strip().lower() for column in header]
    missing = [
        column for column in ("indicator", "geography", "year", "value") if column not in header
    ]
    if missing:
        raise FileFormatError(f"{name}: missing column(s) {', '.join(missing)}")
    unknown = [column for column in header if column and column not in FIELDS]
    if unknown:
        raise FileFormatError(
            f"{name}: unknown column(s) {', '.join(unknown)}; expected {', '.join(FIELDS)}"
        )
    return header


def _read_csv(path):
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = _check_header(next(reader, []), path.name)
            for line, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield line, dict(zip(header, cells, strict=False))
    except UnicodeDecodeError:
        raise FileFormatError(f"{path.name}: not UTF-8 text") from None


def _read_xlsx(path):
    from openpyxl import load_workbook  # only the XLSX path pays for the import

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise FileFormatError(f"{path.name}: not a readable XLSX file ({error})") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = _check_header(next(rows, ()), path.name)
        for line, cells in enumerate(rows, start=2):
            if any(cell not in (None, "") for cell in cells):
                yield line, dict(zip(header, cells, strict=False))
    finally:
        workbook.close()


def observations_import(
    rows,
    *,
    plan: StrategicPlan,
    user=None,
    approve: bool = False,
    dry_run: bool = False,
    skip_existing: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate every row, then write all of them in one transaction, or none.

    Imported figures enter as submitted, or approved when `approve` is given (the caller checks
    that the user may approve). With `skip_existing`, a row identical to a stored figure is
    skipped, which makes re-running an import harmless.
    """
    validator = ObservationValidator(plan)
    result = ImportResult()
    valid = []
    for result.rows, (line, raw) in enumerate(rows, start=1):
        cleaned, problems = validator.clean(raw, line)
        already_stored = problems and all(problem.code == "exists" for problem in problems)
        if skip_existing and already_stored and validator.exists_identical(cleaned):
            result.skipped += 1
        else:
            result.problems.extend(problems)
            if not problems:
                valid.append(cleaned)
        if on_progress and result.rows % 1000 == 0:
            on_progress(result.rows)
    result.valid = len(valid)
    if result.problems or dry_run:
        return result
    now = timezone.now()
    status = Observation.Status.APPROVED if approve else Observation.Status.SUBMITTED
    observations = [
        Observation(
            **cleaned,
            status=status,
            reported_by=user,
            submitted_at=now,
            reviewed_by=user if approve else None,
            reviewed_at=now if approve else None,
        )
        for cleaned in valid
    ]
    with transaction.atomic():
        bulk_create_with_history(
            observations,
            Observation,
            batch_size=2000,
            default_user=user,
            default_change_reason="import",
        )
    result.created = len(observations)
    return result
