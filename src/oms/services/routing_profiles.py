"""Routing profiles as versioned data: read the active set or any saved version, save a new version.

A profile set is validated by the domain loader (oms.domain.routing.profiles) and refused with the path
of every offending field, so nothing invalid is ever stored. Its `version` is assigned on save (the
active version plus one), whatever the data says. Until a first save, a built-in set is active
(version 0), so routing works on a fresh system.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Row

from oms.db.tables import routing_profiles
from oms.domain.routing.profiles import ProfileSet, profiles_from_data
from oms.services import routing_config
from oms.services.actor import Actor, Permission
from oms.services.routing_profile_data import (
    BUILTIN_COMMENT,
    BUILTIN_PROFILES,
    parse_profiles_text,
    pinned_reliability,
    validate_profiles,
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

LABEL = "routing profiles"


class ProfilesVersion(VersionMeta):
    """A version of the routing profiles; `builtin` when nothing was saved yet."""

    builtin: bool = False
    profiles: ProfileSet


class ProfilesVersionSummary(VersionMeta):
    strategies: list[str] = Field(description="Strategy names in the order they are tried")


class ProfilesSave(BaseModel):
    """Save a new version of the routing profiles, given as data (`profiles`) or as a JSON or YAML
    document (`text` and `format`)."""

    model_config = ConfigDict(extra="forbid")

    profiles: Any = Field(default=None, description="The profile set as data (see ProfileSet)")
    text: str | None = Field(default=None, description="The profile set as a JSON or YAML document")
    format: Literal["json", "yaml"] = "yaml"
    comment: str = Field(default="", max_length=1000, description="Why it changed")
    base_version: int | None = Field(
        default=None,
        ge=0,
        description="The version this edit started from: refused (409) if no longer active",
    )

    @model_validator(mode="after")
    def _one_form(self) -> "ProfilesSave":
        if (self.profiles is None) == (self.text is None):
            raise ValueError("give either profiles or text")
        return self


def get_active_profiles(uow: UnitOfWork, actor: Actor) -> ProfilesVersion:
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        row = active_row(uow.conn, routing_profiles)
    return _builtin() if row is None else _view(row)


def get_profile_version(uow: UnitOfWork, actor: Actor, version: int) -> ProfilesVersion:
    """A saved version; 0 is the built-in default."""
    actor.require(Permission.ROUTING_READ)
    if version == 0:
        return _builtin()
    with uow.reading():
        return _view(version_row(uow.conn, routing_profiles, version, LABEL))


def list_profile_versions(
    uow: UnitOfWork, actor: Actor, limit: int = MAX_VERSIONS
) -> list[ProfilesVersionSummary]:
    """Saved versions, newest (the active one) first."""
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        rows = version_rows(uow.conn, routing_profiles, limit, routing_profiles.c.profiles)
    return [
        ProfilesVersionSummary(**meta(r), strategies=[s["name"] for s in r.profiles["strategies"]])
        for r in rows
    ]


def save_profiles(uow: UnitOfWork, actor: Actor, cmd: ProfilesSave) -> ProfilesVersion:
    """Validate the profile set and store it as the new active version; 422 with field paths (relative
    to the profile set) when it is invalid, and then nothing is stored."""
    actor.require(Permission.ROUTING_WRITE)
    data = cmd.profiles if cmd.text is None else parse_profiles_text(cmd.text, cmd.format)
    profiles = validate_profiles(data)
    with uow:
        row = store_version(uow, actor, profiles, cmd.comment, cmd.base_version)
        uow.commit()
    routing_config.clear_cache()  # other processes hear of it (migration 0007)
    return _view(row)


def revert_profiles(uow: UnitOfWork, actor: Actor, to_version: int, comment: str) -> ProfilesVersion:
    """Save a new version whose profile set is version `to_version`'s exactly (0: the built-in set), so
    a revert is itself a version: who reverted, when and why stay readable, and it can be reverted."""
    actor.require(Permission.ROUTING_WRITE)
    target = get_profile_version(uow, actor, to_version).profiles
    with uow:
        row = store_version(uow, actor, target, comment or f"reverted to version {to_version}", None)
        uow.commit()
    routing_config.clear_cache()
    return _view(row)


def store_version(
    uow: UnitOfWork, actor: Actor, profiles: ProfileSet, comment: str, base_version: int | None
) -> Row:
    """Insert `profiles` as the next version in the open unit of work and audit it; the caller commits
    (then clears routing_config's cache). 409 when `base_version` is no longer the active one, 422 when
    the set pins a reliability table version never learnt."""
    pinned_reliability(uow.conn, profiles)
    before, version = next_version(uow, routing_profiles, base_version, LABEL)
    data = profiles.model_copy(update={"version": version}).model_dump(mode="json")
    row = insert_version(uow, routing_profiles, actor, version, comment, profiles=data)
    after = {"version": version, "comment": comment, "profiles": data}
    uow.record(actor, "routing_profiles.saved", "routing_profiles", version,
               before={"version": before}, after=after, publish="routing_profiles.saved")  # fmt: skip
    return row


def _builtin() -> ProfilesVersion:
    profiles = profiles_from_data(BUILTIN_PROFILES).model_copy(update={"version": 0})
    return ProfilesVersion(version=0, builtin=True, comment=BUILTIN_COMMENT, profiles=profiles)


def _view(row) -> ProfilesVersion:
    return ProfilesVersion(**meta(row), profiles=ProfileSet.model_validate(row.profiles))
