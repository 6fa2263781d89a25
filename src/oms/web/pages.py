from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import text

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(include_in_schema=False)

_COUNTS = text(
    """
    SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM products) AS products,
           (SELECT count(*) FROM nodes WHERE active) AS nodes,
           (SELECT count(*) FROM orders WHERE status IN ('allocated', 'partially_allocated', 'backordered',
                                                         'on_hold', 'received')) AS open_orders
    """
)


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    """What this server holds and where its API lives."""
    with request.app.state.engine.connect() as conn:
        counts = conn.execute(_COUNTS).mappings().one()
    return templates.TemplateResponse(request, "home.html", {"counts": counts})
