"""Rules every console route keeps, checked over the app's routes so that a page added later keeps them."""

from oms.api.app import create_app
from oms.web.console import ConsoleRoute, csrf_checked


def _routes(routes) -> list:
    """The app's routes, those of the routers it includes too."""
    return [leaf for r in routes for leaf in (_routes(r.original_router.routes) if hasattr(r, "original_router") else [r])]


def _calls(dependant) -> set:
    return {dependant.call} | {c for d in dependant.dependencies for c in _calls(d)}


def test_every_console_post_checks_the_session_token(engine):
    routes = [r for r in _routes(create_app(engine).routes) if isinstance(r, ConsoleRoute)]
    posts = [r for r in routes if "POST" in r.methods]
    assert {"/sign-in", "/sign-out", "/orders/{order_id}/actions/{slug}"} <= {r.path for r in posts}
    assert [r.path for r in posts if csrf_checked not in _calls(r.dependant)] == []
    # A GET changes nothing (SameSite=Lax lets another site's link send the cookie with one).
    assert {m for r in routes for m in r.methods} <= {"GET", "HEAD", "POST"}
