"""The routing profiles, rate table and reliability table (the version the profiles pin, if any) orders
are routed with: the active versions, cached per process (see oms.services.process_cache). A save
forgets this process's copy at once and, through the `routing` notification of migration 0007, every
other process's."""

from dataclasses import dataclass

from sqlalchemy import Connection

from oms.db.tables import rate_tables, routing_profiles
from oms.domain.routing.profiles import ProfileSet, profiles_from_data
from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import ReliabilityTable
from oms.services.process_cache import ProcessCache
from oms.services.rate_table_data import BUILTIN_RATES, RateTableData, to_rate_table, validate_rates
from oms.services.routing_profile_data import BUILTIN_PROFILES, pinned_reliability
from oms.services.routing_versions import active_row

UNHEARD_TTL_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class RoutingConfig:
    profiles: ProfileSet
    profiles_version: int  # 0: the built-in profiles
    rates: RateTable
    rates_version: int  # 0: the built-in rates
    reliability: ReliabilityTable | None = None  # the version the profiles pin; None: they pin none


def active_config(conn: Connection) -> RoutingConfig:
    return _cache.get(conn)


def clear_cache() -> None:
    _cache.clear()


def _load(conn: Connection) -> RoutingConfig:
    profiles_row, rates_row = active_row(conn, routing_profiles), active_row(conn, rate_tables)
    if profiles_row is None:
        profiles, profiles_version = profiles_from_data(BUILTIN_PROFILES), 0
    else:
        profiles, profiles_version = ProfileSet.model_validate(profiles_row.profiles), profiles_row.version
    if rates_row is None:
        rates, rates_version = validate_rates(BUILTIN_RATES), 0
    else:
        rates, rates_version = RateTableData.model_validate(rates_row.rates), rates_row.version
    reliability = pinned_reliability(conn, profiles)
    return RoutingConfig(profiles, profiles_version, to_rate_table(rates), rates_version, reliability)


_cache = ProcessCache(_load, UNHEARD_TTL_SECONDS)
