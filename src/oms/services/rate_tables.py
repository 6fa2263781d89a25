"""Shipping rate tables as versioned data: read the active table or any saved version, save a new version
from data or from an imported CSV (validated by oms.services.rate_table_data; nothing invalid is stored).
Until a first save, built-in placeholder rates are active (version 0), so routing works on a fresh system.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oms.db.tables import rate_tables
from oms.services import routing_config
from oms.services.actor import Actor, Permission
from oms.services.rate_table_data import (
    BUILTIN_COMMENT,
    BUILTIN_RATES,
    RateTableData,
    rates_from_text,
    validate_rates,
)
from oms.services.routing_versions import (
    MAX_VERSIONS,
    VersionMeta,
    active_row,
    insert_version,
    meta,
    next_version,
    version_row,
    version_rows,
)
from oms.services.uow import UnitOfWork

LABEL = "rate tables"


class RatesVersion(VersionMeta):
    """A version of the rate table; `builtin` when nothing was saved yet."""

    builtin: bool = False
    source: str | None = Field(default=None, description="The imported file's name")
    rates: RateTableData


class RatesVersionSummary(VersionMeta):
    source: str | None
    cards: int
    carriers: list[str]


class RatesSave(BaseModel):
    """Save a new version of the rate table, given as data (`rates`) or as a CSV or JSON document (`text`
    and `format`)."""

    model_config = ConfigDict(extra="forbid")

    rates: Any = Field(default=None, description="The table as data: {cards: [...]} (see RateTableData)")
    text: str | None = Field(
        default=None, description="The table as a document; CSV has a row per weight break"
    )
    format: Literal["csv", "json"] = "csv"
    source: str | None = Field(default=None, max_length=255, description="Where it came from, e.g. a file")
    comment: str = Field(default="", max_length=1000)
    base_version: int | None = Field(
        default=None,
        ge=0,
        description="The version this edit started from: refused (409) if no longer active",
    )

    @model_validator(mode="after")
    def _one_form(self) -> "RatesSave":
        if (self.rates is None) == (self.text is None):
            raise ValueError("give either rates or text")
        return self


def get_active_rates(uow: UnitOfWork, actor: Actor) -> RatesVersion:
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        row = active_row(uow.conn, rate_tables)
    return _builtin() if row is None else _view(row)


def get_rates_version(uow: UnitOfWork, actor: Actor, version: int) -> RatesVersion:
    """A saved version; 0 is the built-in placeholder table."""
    actor.require(Permission.ROUTING_READ)
    if version == 0:
        return _builtin()
    with uow.reading():
        return _view(version_row(uow.conn, rate_tables, version, LABEL))


def list_rates_versions(
    uow: UnitOfWork, actor: Actor, limit: int = MAX_VERSIONS
) -> list[RatesVersionSummary]:
    """Saved versions, newest (the active one) first."""
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        rows = version_rows(uow.conn, rate_tables, limit, rate_tables.c.source, rate_tables.c.rates)
    return [_summary(r) for r in rows]


def save_rates(uow: UnitOfWork, actor: Actor, cmd: RatesSave) -> RatesVersion:
    """Validate the table and store it as the new active version; 422 with paths (`cards.N.field` for
    data, `rows.N.column` for CSV) when it is invalid, and then nothing is stored."""
    actor.require(Permission.ROUTING_WRITE)
    table = validate_rates(cmd.rates) if cmd.text is None else rates_from_text(cmd.text, cmd.format)
    data = table.model_dump(mode="json")
    with uow:
        before, version = next_version(uow, rate_tables, cmd.base_version, LABEL)
        row = insert_version(uow, rate_tables, actor, version, cmd.comment, rates=data, source=cmd.source)
        after = {"version": version, "comment": cmd.comment, "source": cmd.source, "cards": len(table.cards)}
        uow.record(actor, "rate_table.saved", "rate_table", version,
                   before={"version": before}, after=after, publish="rate_table.saved")  # fmt: skip
        uow.commit()
    routing_config.clear_cache()  # other processes hear of it (migration 0007)
    return _view(row)


def _builtin() -> RatesVersion:
    rates = validate_rates(BUILTIN_RATES)
    return RatesVersion(version=0, builtin=True, comment=BUILTIN_COMMENT, rates=rates)


def _summary(row) -> RatesVersionSummary:
    cards = row.rates["cards"]
    carriers = sorted({c["carrier"] for c in cards})
    return RatesVersionSummary(**meta(row), source=row.source, cards=len(cards), carriers=carriers)


def _view(row) -> RatesVersion:
    return RatesVersion(**meta(row), source=row.source, rates=RateTableData.model_validate(row.rates))
