"""Import of statistics files (CSV or XLSX): every row is checked first, and if any is bad
nothing is written."""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone

from frameworks.models import StrategicPlan
from itu_rbm.caching import content_changed
from itu_rbm.formats import unguarded_text

from .models import Observation
from .validation import FIELDS, ObservationValidator, Problem

BATCH_SIZE = 2000


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


def count_rows(path: Path) -> int | None:
    """Rows below the header, for a progress bar (None when it would cost a second read)."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        return None
    with path.open("rb") as handle:
        return max(0, sum(1 for _line in handle) - 1)


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
    """Rows numbered by the line they start on (a quoted note may span lines); a text the
    portal's downloads guarded against spreadsheets (an apostrophe before "=") as it was."""
    reader = None
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = _check_header(next(reader, []), path.name)
            line = reader.line_num + 1
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield line, dict(zip(header, map(unguarded_text, cells), strict=False))
                line = reader.line_num + 1
    except UnicodeDecodeError:
        raise FileFormatError(f"{path.name}: not UTF-8 text") from None
    except csv.Error as error:
        # a cell over the csv module's limit (128 KiB), or a quote the module cannot read
        where = f"line {reader.line_num}: " if reader is not None else ""
        raise FileFormatError(f"{path.name}: {where}{error}") from None


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
    except FileFormatError:
        raise
    except Exception as error:  # a sheet is read as it is iterated: its XML may be broken
        raise FileFormatError(f"{path.name}: not a readable XLSX file ({error})") from None
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
    user_id = user.pk if user else None
    workflow = {
        "status": status,
        "reported_by_id": user_id,
        "submitted_at": now,
        "reviewed_by_id": user_id if approve else None,
        "reviewed_at": now if approve else None,
        "created_at": now,
        "updated_at": now,
    }
    with transaction.atomic():
        for start in range(0, len(valid), BATCH_SIZE):
            figures = table_rows(
                Observation,
                (
                    {**_columns(cleaned), **workflow}
                    for cleaned in valid[start : start + BATCH_SIZE]
                ),
            )
            _insert(Observation, figures, new_ids=True)
            _insert(Observation.history.model, _history_rows(figures, user_id, now))
        # inserts send no signal: the public answers are left behind here (itu_rbm/caching.py)
        content_changed()
    result.created = len(valid)
    return result


def _columns(cleaned: dict) -> dict:
    """Cleaned values as column values: a related row (the indicator) by its key (indicator_id)."""
    columns = {}
    for name, value in cleaned.items():
        if isinstance(value, models.Model):
            columns[Observation._meta.get_field(name).attname] = value.pk
        else:
            columns[name] = value
    return columns


def _written_fields(model) -> list:
    """The columns an INSERT names: all but an automatic primary key."""
    return [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]


def table_rows(model, values) -> list[dict]:
    """Rows of `model` as {column attname: value}, with the fields' defaults for what `values`
    leave out: what the model's constructor would give, at a fraction of its cost (a
    100,000-row import built 200,000 model instances only to read them back)."""
    defaults = {f.attname: f.get_default() for f in _written_fields(model)}
    return [{**defaults, **row} for row in values]


def _db_value(value, cache={}):  # noqa: B006 - a per-process cache of adapted datetimes
    """What the driver binds: datetimes in the backend's form, everything else as it is."""
    if isinstance(value, datetime):
        if value not in cache:
            cache[value] = connection.ops.adapt_datetimefield_value(value)
        return cache[value]
    return value


def _insert(model, rows: list[dict], *, new_ids=False) -> None:
    """Multi-row INSERT of `table_rows`, without the ORM's per-value compilation (large imports
    spent most of their time in bulk_create's SQL compiler; these rows are validated already).
    With `new_ids`, each row gets its new primary key.

    PostgreSQL gets the rows by COPY: sent as SQL values, the driver's binding of every value
    cost four times what the database itself needs to store them (bench/README.md)."""
    if connection.vendor == "postgresql":
        _copy(model, rows, new_ids=new_ids)
        return
    fields = _written_fields(model)
    pk = model._meta.pk
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {connection.ops.quote_name(pk.column)}" if new_ids else ""
    per_statement = max(1, 30000 // len(fields))  # SQLite binds at most 32,766 values
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([row_sql] * len(chunk))
            params = [_db_value(row[f.attname]) for row in chunk for f in fields]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}{returning}", params)
            if new_ids:
                for row, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                    row[pk.attname] = value


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy(model, rows, *, new_ids: bool) -> None:
    """COPY … FROM STDIN; new ids, when wanted, are drawn from the table's sequence first."""
    quote = connection.ops.quote_name
    fields = _written_fields(model)
    with connection.cursor() as cursor:
        if new_ids:
            pk = model._meta.pk
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(rows)],
            )
            for row, (value,) in zip(rows, cursor.fetchall(), strict=True):
                row[pk.attname] = value
            fields = [pk, *fields]
        names = ", ".join(quote(f.column) for f in fields)
        lines = ("\t".join(_copy_text(row[f.attname]) for f in fields) + "\n" for row in rows)
        cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN",
            io.StringIO("".join(lines)),
        )


def _history_rows(figures, user_id, when) -> list[dict]:
    """The "created" history record save() would have written (bulk inserts skip the signal)."""
    return table_rows(
        Observation.history.model,
        (
            {
                **figure,
                "history_date": when,
                "history_change_reason": "import",
                "history_type": "+",
                "history_user_id": user_id,
            }
            for figure in figures
        ),
    )
