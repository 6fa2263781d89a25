"""The browser's session: a signed cookie (HttpOnly, SameSite=Lax) holding who signed in (a user id or an
API key's hash, never the key) and the CSRF token every POST must carry. Nothing else is kept on the
server: any API process can serve any request."""

import hmac
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from oms.services.users import Principal
from oms.settings import Settings

COOKIE = "oms_session"
MAX_AGE_S = 12 * 3600  # a working day: then the browser signs in again
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SECRET_FILE = "session-secret"


@dataclass
class WebSession:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    principal: Principal | None = None
    changed: bool = False

    def sign_in(self, principal: Principal) -> None:
        """A new token at sign-in, so a token planted before it is worth nothing after."""
        self.principal, self.csrf, self.changed = principal, secrets.token_urlsafe(24), True

    def sign_out(self) -> None:
        self.principal, self.csrf, self.changed = None, secrets.token_urlsafe(24), True

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
    tampered with or too old."""
    if (found := getattr(request.state, "web_session", None)) is not None:
        return found
    session = WebSession(changed=True)
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            data = request.app.state.web_sessions.loads(raw, max_age=MAX_AGE_S)
            principal = Principal(*data["p"]) if data.get("p") else None
            session = WebSession(csrf=data["c"], principal=principal)
        except (BadSignature, KeyError, TypeError, ValueError):
            pass
    request.state.web_session = session
    return session


def save_session(request: Request, response: Response) -> None:
    session: WebSession | None = getattr(request.state, "web_session", None)
    if session is None or not session.changed:
        return
    principal = [session.principal.kind, session.principal.ref] if session.principal else None
    value = request.app.state.web_sessions.dumps({"c": session.csrf, "p": principal})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE_S, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")  # fmt: skip
