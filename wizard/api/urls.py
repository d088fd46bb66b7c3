"""Base URLs are origins: the one check both API clients (OpenTrain, Recruitsome) apply.

A base URL is an http(s) origin, optionally with a path (a proxy prefix, or the API
root itself), and nothing more:

- a user name or password (``https://user:pw@host``) is refused: httpx would send it as
  Basic auth in place of the bearer token, and error messages would print it. The
  sentence refusing it never repeats it;
- a query or a fragment is refused: the API path is appended to the base URL, so
  ``https://host/?q=1`` would become ``https://host/?q=1/api/...``;
- a malformed address (``http://[::1``, a port that is not a number) is refused with a
  sentence instead of ``urlsplit``'s ``ValueError``;
- plain ``http://`` is refused for hosts that are not this machine, unless allowed.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from wizard.api.errors import InsecureURLError
from wizard.api.sanitize import clean_text

# Everything between "//" and "@" in the authority: a user name and maybe a password.
_USERINFO = re.compile(r"(?<=//)[^/?#]*@")


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` names this machine (plain http is allowed only there)."""
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def shown_url(url: str) -> str:
    """``url`` safe to repeat in a sentence: no user name or password, query or fragment
    (any of them may hold a secret), no control characters, at most 120 characters."""
    text = clean_text(_USERINFO.sub("", url)).split("?", 1)[0].split("#", 1)[0]
    return text if len(text) <= 120 else text[:119] + "…"


def api_root_for(
    base_url: str,
    prefix: str,
    *,
    what: str,
    secret: str,
    insecure_hint: str,
    allow_insecure: bool = False,
) -> str:
    """Check that ``base_url`` is an origin (with an optional path) and return the API root.

    Args:
        base_url: The configured base URL: an origin, or the API root itself.
        prefix: The API prefix appended unless the URL already ends with it.
        what: How the sentence names the setting ("The base URL").
        secret: What plain http would expose ("the token").
        insecure_hint: The end of the plain-http sentence: what to do instead.
        allow_insecure: Allow plain http to a host that is not this machine.

    Raises:
        InsecureURLError: the URL is not an http(s) origin, carries a user name,
            password, query or fragment, or is plain http to another machine.
    """
    url = base_url.strip().rstrip("/")
    shown = shown_url(url)
    if _USERINFO.search(url):
        raise InsecureURLError(
            f"{what} {shown!r} must not contain a user name or password (the part before "
            "'@'); remove it: the API is authenticated with the token alone."
        )
    if "?" in url or "#" in url:
        part = "query (?…)" if "?" in url else "fragment (#…)"
        raise InsecureURLError(
            f"{what} {shown!r} must not have a {part}; give only the origin, "
            "like https://example.com."
        )
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        _ = parts.port  # a port that is not a number raises only when asked for
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise InsecureURLError(f"{what} {shown!r} is not a valid address.") from None
    if parts.scheme not in {"http", "https"} or not hostname:
        raise InsecureURLError(f"{what} {shown!r} is not an http(s) address.")
    if parts.scheme == "http" and not allow_insecure and not is_loopback_host(hostname):
        raise InsecureURLError(
            f"Refusing plain http:// for {hostname}: {secret} would travel unencrypted"
            f"{insecure_hint}"
        )
    return url if url.endswith(prefix) else url + prefix
