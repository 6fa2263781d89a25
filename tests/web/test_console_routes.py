"""Rules every console route keeps, checked over the app's routes so that a page added later keeps them."""

from oms.api.app import create_app
from oms.services.actor import Role
from oms.web.console import ConsoleRoute, csrf_checked
from tests.web.conftest import as_role


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


def test_console_answers_are_kept_out_of_the_browsers_cache(web, engine, captured):
    assert web.get("/sign-in").headers["cache-control"] == "no-store"
    as_role(web, engine, Role.OPS)
    for url, headers in (("/orders", {}), ("/orders", {"HX-Request": "true"}), (f"/orders/{captured[0]['id']}", {}),
                         ("/orders/99999", {})):  # fmt: skip
        assert web.get(url, headers=headers).headers["cache-control"] == "no-store", url
    assert '"historyCacheSize": 0' in web.get("/").text  # nor in htmx's copy of pages for its back button
    assert web.get("/static/console.css").headers.get("cache-control") != "no-store"  # files are cached
