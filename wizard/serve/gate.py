"""The per-launch token gate in front of every served route but the static assets.

The token arrives once in the shared URL's query; it is exchanged for an HttpOnly,
SameSite=Strict cookie and the browser is sent on to the token-free URL, so the
token does not stay in the address bar or in the browser's history. Comparison is
constant-time.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.typedefs import Middleware

TOKEN_VARIABLE = "DRAFT_WIZARD_SERVE_TOKEN"
TOKEN_COOKIE = "dw_room"
MIN_TOKEN_CHARS = 32
_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

REFUSED_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>draft-wizard</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>This room needs its link</h1>
<p>Open the link your facilitator shared (it ends in <code>?token=…</code>).</p>
</body></html>
"""


class TokenError(ValueError):
    """A configured token that cannot be used; the message is one sentence."""


def new_token() -> str:
    """A fresh URL-safe token: 32 random bytes, 43 characters."""
    return secrets.token_urlsafe(32)


def check_token(token: str) -> str:
    """Refuse a configured token that is short or not URL-safe; returns it.

    Raises:
        TokenError: shorter than 32 characters, or holding characters a URL would
            have to escape.
    """
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenError(
            f"{TOKEN_VARIABLE} must be at least {MIN_TOKEN_CHARS} characters long "
            f"(it has {len(token)})."
        )
    if not set(token) <= _URL_SAFE:
        raise TokenError(f"{TOKEN_VARIABLE} may hold only letters, digits, '-' and '_'.")
    return token


def matches(supplied: str | None, token: str) -> bool:
    """Constant-time comparison (the length of a wrong guess leaks nothing either)."""
    if supplied is None:
        return False
    return hmac.compare_digest(supplied.encode("utf-8", "replace"), token.encode("utf-8"))


def token_free_location(request: web.Request, public_url: str) -> str:
    """The URL the browser is sent on to: the same path and query, minus the token."""
    query = [(key, value) for key, value in request.query.items() if key != "token"]
    location = public_url.rstrip("/") + request.path
    return f"{location}?{urlencode(query)}" if query else location


def make_gate(
    token: str,
    *,
    public_url: Callable[[], str],
    open_prefixes: tuple[str, ...] = ("/static/",),
) -> Middleware:
    """The aiohttp middleware that holds the gate.

    A valid ``?token=`` on a page sets the cookie and redirects to the token-free URL;
    on the websocket it is accepted as it is (for scripts; browsers send the cookie).
    Anything else without the cookie gets a 401. ``public_url`` is read per request:
    the port is known only once the server listens.
    """

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(open_prefixes):
            return await handler(request)
        supplied = request.query.get("token")
        if supplied is not None:
            if not matches(supplied, token):
                return _refused()
            if _is_websocket(request):
                return await handler(request)
            public = public_url()
            response = web.HTTPSeeOther(token_free_location(request, public))
            response.set_cookie(
                TOKEN_COOKIE,
                token,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=public.lower().startswith("https://"),
            )
            raise response
        if matches(request.cookies.get(TOKEN_COOKIE), token):
            return await handler(request)
        return _refused()

    return gate


def _is_websocket(request: web.Request) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


def _refused() -> web.Response:
    return web.Response(status=401, text=REFUSED_PAGE, content_type="text/html")
