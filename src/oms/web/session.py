"""The browser's session: a signed cookie (HttpOnly, SameSite=Lax). Signed in, it carries the random id of
a session kept in the database (oms.services.console_sessions: who signed in and the CSRF token every
POST must carry), looked up once per request, so sign-out revokes it; before sign-in, only the CSRF
token of the sign-in form. Any API process can serve any request."""

import hmac
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from oms.services import console_sessions
from oms.services.actor import Actor
from oms.services.console_sessions import ConsoleSession
from oms.services.uow import UnitOfWork
from oms.settings import Settings

COOKIE = "oms_session"
MAX_AGE_S = int(console_sessions.LIFETIME.total_seconds())  # the database decides sooner (idle, sign-out)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SECRET_FILE = "session-secret"


@dataclass
class WebSession:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    signed_in: ConsoleSession | None = None
    changed: bool = False

    @property
    def actor(self) -> Actor | None:
        return self.signed_in.actor if self.signed_in else None

    def sign_in(self, session: ConsoleSession) -> None:
        """A new token at sign-in, so a token planted before it is worth nothing after."""
        self.signed_in, self.csrf, self.changed = session, session.csrf, True

    def sign_out(self) -> None:
        self.signed_in, self.csrf, self.changed = None, secrets.token_urlsafe(24), True

    def csrf_matches(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token.encode(), self.csrf.encode())


def make_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.session_secret or _kept_secret(settings.data_dir), salt="oms.web.session")


def _kept_secret(data_dir: Path) -> str:
    """The secret kept in the data folder, made by whichever process comes first."""
    path = data_dir / _SECRET_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _written_secret(path)
    secret = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w") as f:
        f.write(secret)
    return secret


def _written_secret(path: Path, wait_s: float = 2.0) -> str:
    """The secret in the file, once the process that created it has written it: never an empty key, with
    which anyone could sign a session."""
    deadline = time.monotonic() + wait_s
    while not (secret := path.read_text().strip()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} is empty: delete it, or set OMS_SESSION_SECRET")
        time.sleep(0.01)
    return secret


def load_session(request: Request) -> WebSession:
    """The request's session (read once per request); a new anonymous one when the cookie is missing,
    tampered with or too old, or its session was signed out or has expired."""
    if (found := getattr(request.state, "web_session", None)) is not None:
        return found
    session = WebSession(changed=True)
    try:
        data = request.app.state.web_sessions.loads(request.cookies.get(COOKIE) or "", max_age=MAX_AGE_S)
        if "s" in data:
            if live := console_sessions.find(UnitOfWork(request.app.state.engine), data["s"]):
                session = WebSession(csrf=live.csrf, signed_in=live)
        else:
            session = WebSession(csrf=data["c"])
    except (BadSignature, KeyError, TypeError, ValueError):
        pass
    request.state.web_session = session
    return session


def save_session(request: Request, response: Response) -> None:
    session: WebSession | None = getattr(request.state, "web_session", None)
    if session is None or not session.changed:
        return
    data = {"s": session.signed_in.token} if session.signed_in else {"c": session.csrf}
    response.set_cookie(COOKIE, request.app.state.web_sessions.dumps(data), max_age=MAX_AGE_S, httponly=True,
                        samesite="lax", path="/", secure=request.url.scheme == "https")  # fmt: skip
