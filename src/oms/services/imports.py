"""CSV imports of reference data: products, nodes and stock positions; and carriers' charges.

Every row is validated with the same pydantic command the API takes, then the service checks what
needs the database (repeated keys, unknown nodes or SKUs, barcodes of other SKUs). A bad row is
reported with its row number (as a spreadsheet shows it: the header is row 1) and column. By default
one bad row stops the whole file; with `skip_invalid` the good rows go in and the bad ones are reported.
"""

import csv
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from oms.services.actor import Actor
from oms.services.bulk import Progress
from oms.services.catalog import ProductUpsert, upsert_products
from oms.services.errors import ValidationFailed
from oms.services.inventory import InventoryRow, set_inventory_batch
from oms.services.network import NodeUpsert, upsert_nodes
from oms.services.shipment_charges import ChargeIn, import_charges
from oms.services.uow import UnitOfWork

LIST_SEPARATOR = "|"  # inside a cell, so it cannot be the CSV's comma: "ship_from_store|pickup"


class ImportFileError(Exception):
    """The file cannot be imported at all: missing, unreadable, or without a required column."""


@dataclass(frozen=True)
class Importer:
    model: type[BaseModel]
    write: Callable[[UnitOfWork, Actor, list, Progress | None], int]

    @property
    def required(self) -> list[str]:
        return [name for name, f in self.model.model_fields.items() if f.is_required()]

    def is_list(self, column: str) -> bool:
        return typing.get_origin(self.model.model_fields[column].annotation) is list


IMPORTERS = {
    "catalog": Importer(ProductUpsert, upsert_products),
    "nodes": Importer(NodeUpsert, upsert_nodes),
    "inventory": Importer(InventoryRow, set_inventory_batch),
    "charges": Importer(ChargeIn, import_charges),
}


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int
    imported: int = 0  # valid rows written (unchanged ones included)
    changed: int = 0  # rows created or changed
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class CsvRows:
    rows: list[tuple[int, dict[str, str]]]  # (row number, cells of known columns that are not blank)
    ignored_columns: list[str]


def read_csv(path: Path, kind: str) -> CsvRows:
    importer = IMPORTERS[kind]
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:  # -sig: spreadsheets often write a BOM
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            if missing := [c for c in importer.required if c not in header]:
                raise ImportFileError(f"{path}: missing required column(s) {', '.join(missing)}")
            known = [c for c in header if c in importer.model.model_fields]
            lists = {c for c in known if importer.is_list(c)}
            rows = [(n, _cells(raw, known, lists)) for n, raw in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ImportFileError(f"{path}: {getattr(e, 'strerror', None) or e}") from e
    return CsvRows(rows, [c for c in header if c not in known])


def _cells(raw: dict[str, str | None], known: list[str], lists: set[str]) -> dict:
    # A blank cell means "not given", so the command's default applies (or "required" is reported).
    cells = {c: (raw.get(c) or "").strip() for c in known}
    return {
        c: [v.strip() for v in value.split(LIST_SEPARATOR)] if c in lists else value
        for c, value in cells.items()
        if value
    }


def import_rows(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    csv_rows: CsvRows,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    importer = IMPORTERS[kind]
    report = ImportReport(rows=len(csv_rows.rows), ignored_columns=csv_rows.ignored_columns)
    valid = _validate(importer, csv_rows.rows, report.errors)
    while valid and (skip_invalid or not report.errors):
        try:
            report.changed = importer.write(uow, actor, [item for _, item in valid], progress)
            report.imported = len(valid)
            break
        except ValidationFailed as refused:
            # Refused before anything was written (the service checks first), so retrying is safe.
            rejected = [RowError(valid[e.path[0]][0], str(e.path[1]), e.message) for e in refused.errors]
            report.errors += rejected
            valid = [v for v in valid if v[0] not in {e.row for e in rejected}]
    report.errors.sort()
    return report


def _validate(importer: Importer, rows, errors: list[RowError]) -> list[tuple[int, BaseModel]]:
    valid = []
    for number, cells in rows:
        try:
            valid.append((number, importer.model.model_validate(cells)))
        except ValidationError as e:
            errors += [
                RowError(number, str(err["loc"][0]) if err["loc"] else "", err["msg"]) for err in e.errors()
            ]
    return valid
