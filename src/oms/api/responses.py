"""Answering views that services have already built and validated."""

from fastapi import Response
from pydantic import BaseModel


def view_response(view: BaseModel, status_code: int = 200) -> Response:
    """The view as JSON. FastAPI would validate a returned model against the route's response model again,
    in the thread pool; a view built by a service needs neither. Routes still declare `response_model`,
    so the OpenAPI schema stays exact."""
    return Response(view.model_dump_json(), status_code=status_code, media_type="application/json")
