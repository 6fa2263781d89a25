"""Dependencies shared by the routes: the acting user and a unit of work."""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from oms.services.actor import Actor
from oms.services.uow import UnitOfWork

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


# Both are async on purpose: they do no I/O worth a thread (keys are cached), and every sync dependency
# would cost a hop through the thread pool on each request.
async def current_actor(request: Request, key: Annotated[str | None, Security(api_key_header)]) -> Actor:
    return request.app.state.authenticator.authenticate(key)


async def unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(request.app.state.engine)


ActorDep = Annotated[Actor, Depends(current_actor)]
UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]
