"""Routing profiles and rate tables: the active version, every saved version, and saving a new one;
routing simulation and batch re-optimisation of the backlog.
PUT bodies are documents a person edits, so they may come as JSON or as YAML (profiles) or CSV (rates)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import MEDIA_TYPE, Problem, problem_responses
from oms.api.responses import view_response
from oms.services import rate_tables, reoptimisation, routing_profiles
from oms.services.errors import FieldError, ValidationFailed
from oms.services.rate_tables import RatesSave, RatesVersion, RatesVersionSummary
from oms.services.reoptimisation import ReoptimisationPublic, ReoptimiseCommand
from oms.services.routing_profiles import ProfilesSave, ProfilesVersion, ProfilesVersionSummary
from oms.services.routing_simulation import SimulateRouting, SimulationResult, simulate_routing
from oms.services.routing_versions import MAX_VERSIONS

router = APIRouter(prefix="/routing", tags=["routing"])
READ_ERRORS = problem_responses(404, 422)
UNSUPPORTED = {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "Unsupported content type"}
WRITE_ERRORS = {**problem_responses(409, 422), 415: UNSUPPORTED}

PROFILE_FORMATS = {"application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
                   "text/yaml": "yaml"}  # fmt: skip
RATE_FORMATS = {"application/json": "json", "text/csv": "csv"}

Version = Annotated[int, Path(ge=0, description="0 is the built-in default")]
Limit = Annotated[int, Query(ge=1, le=MAX_VERSIONS)]
Comment = Annotated[str, Query(max_length=1000, description="Why it changed, kept with the version")]
BaseVersion = Annotated[
    int | None,
    Query(ge=0, description="The version this edit started from: 409 if another was saved meanwhile"),
]


def _request_body(schema: str, text_types: dict[str, str]) -> dict:
    """The OpenAPI request body of a PUT whose JSON form is the `schema` component."""
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    for media_type, description in text_types.items():
        content[media_type] = {"schema": {"type": "string", "description": description}}
    return {"requestBody": {"required": True, "content": content}}


async def _document(request: Request, formats: dict[str, str]) -> tuple[str, str]:
    """The body as text and its format, named by the Content-Type (JSON when none is given)."""
    media_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media_type not in formats:
        raise HTTPException(415, f"send {' or '.join(formats)}, not {media_type}")
    try:
        return (await request.body()).decode("utf-8"), formats[media_type]
    except UnicodeDecodeError:
        raise ValidationFailed([FieldError((), "the body is not UTF-8 text", "encoding")]) from None


# --- Profiles ------------------------------------------------------------------------------------------


@router.get("/profiles", response_model=ProfilesVersion, responses=READ_ERRORS)
def read_active_profiles(actor: ActorDep, uow: UowDep) -> Response:
    """The active routing profiles: the newest saved version, or the built-in default (`version` 0,
    `builtin` true) until a first save."""
    return view_response(routing_profiles.get_active_profiles(uow, actor))


@router.put(
    "/profiles",
    response_model=ProfilesVersion,
    responses=WRITE_ERRORS,
    openapi_extra=_request_body("ProfileSet", {"application/yaml": "The profile set as YAML"}),
)
async def write_profiles(
    request: Request, actor: ActorDep, uow: UowDep, comment: Comment = "", base_version: BaseVersion = None
) -> Response:
    """Save the profile set (JSON, or YAML with `Content-Type: application/yaml`) as the new active
    version. Its `version` is assigned (the active one plus one), whatever the body says. An invalid set
    is refused with 422 and a pointer per problem (`/strategies/0/max_split`), and nothing is stored."""
    text, fmt = await _document(request, PROFILE_FORMATS)
    cmd = ProfilesSave(text=text, format=fmt, comment=comment, base_version=base_version)
    return await run_in_threadpool(lambda: view_response(routing_profiles.save_profiles(uow, actor, cmd)))


@router.get("/profiles/versions", responses=READ_ERRORS)
def read_profile_versions(
    actor: ActorDep, uow: UowDep, limit: Limit = MAX_VERSIONS
) -> list[ProfilesVersionSummary]:
    """Saved versions, newest (the active one) first: who saved each, when, why."""
    return routing_profiles.list_profile_versions(uow, actor, limit)


@router.get("/profiles/versions/{version}", response_model=ProfilesVersion, responses=READ_ERRORS)
def read_profile_version(version: Version, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(routing_profiles.get_profile_version(uow, actor, version))


# --- Rate tables ---------------------------------------------------------------------------------------


@router.get("/rates", response_model=RatesVersion, responses=READ_ERRORS)
def read_active_rates(actor: ActorDep, uow: UowDep) -> Response:
    """The active shipping rate table: the newest saved version, or built-in placeholder rates
    (`version` 0, `builtin` true) until a first save."""
    return view_response(rate_tables.get_active_rates(uow, actor))


@router.put(
    "/rates",
    response_model=RatesVersion,
    responses=WRITE_ERRORS,
    openapi_extra=_request_body(
        "RateTableData", {"text/csv": "One row per weight break; see `oms routing rates import --help`"}
    ),
)
async def write_rates(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    comment: Comment = "",
    base_version: BaseVersion = None,
    source: Annotated[str | None, Query(max_length=255, description="e.g. the file's name")] = None,
) -> Response:
    """Save the rate table (JSON, or CSV with `Content-Type: text/csv`) as the new active version. An
    invalid table is refused with 422 and a pointer per problem (`/cards/2/breaks` or, for CSV, the row
    and column: `/rows/7/price`), and nothing is stored."""
    text, fmt = await _document(request, RATE_FORMATS)
    cmd = RatesSave(text=text, format=fmt, source=source, comment=comment, base_version=base_version)
    return await run_in_threadpool(lambda: view_response(rate_tables.save_rates(uow, actor, cmd)))


@router.get("/rates/versions", responses=READ_ERRORS)
def read_rates_versions(
    actor: ActorDep, uow: UowDep, limit: Limit = MAX_VERSIONS
) -> list[RatesVersionSummary]:
    """Saved versions, newest (the active one) first: who saved each, when, from which file."""
    return rate_tables.list_rates_versions(uow, actor, limit)


@router.get("/rates/versions/{version}", response_model=RatesVersion, responses=READ_ERRORS)
def read_rates_version(version: Version, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(rate_tables.get_rates_version(uow, actor, version))


@router.post(
    "/simulate", response_model=SimulationResult, responses=problem_responses(404, 422)
)
def simulate(cmd: SimulateRouting, actor: ActorDep, uow: UowDep) -> Response:
    """Route given orders, or orders already captured, with the active profiles or a draft profile set,
    against today's stock, capacity and rates, changing nothing: each decision with every candidate
    node's verdict (filtered out and why, or its score per criterion), the plan and the strategies tried."""
    return view_response(simulate_routing(uow, actor, cmd))


@router.post(
    "/reoptimisations", status_code=201, response_model=ReoptimisationPublic,
    responses=problem_responses(422),
)  # fmt: skip
def propose_reoptimisation(cmd: ReoptimiseCommand, actor: ActorDep, uow: UowDep) -> Response:
    """Dry run of a batch re-optimisation: route the chosen open orders again jointly, under the stock
    and daily capacity they share, and store the proposal (every change, the objective before and after,
    the solver's lower bound of the optimum) for review. No order changes."""
    return view_response(reoptimisation.propose(uow, actor, cmd), 201)


@router.get("/reoptimisations/{run_id}", response_model=ReoptimisationPublic, responses=READ_ERRORS)
def read_reoptimisation(run_id: int, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(reoptimisation.get_reoptimisation(uow, actor, run_id))


@router.post(
    "/reoptimisations/{run_id}/apply", response_model=ReoptimisationPublic,
    responses=problem_responses(404, 409),
)  # fmt: skip
def apply_reoptimisation(run_id: int, actor: ActorDep, uow: UowDep) -> Response:
    """Apply a stored proposal, order by order: each moves to its proposed plan in its own transaction,
    unless it changed since the proposal or the stock no longer holds its plan (then it is skipped, and
    the outcome says why). 409 when the proposal was applied already."""
    return view_response(reoptimisation.apply(uow, actor, run_id))
