"""Configuration: the same names as OpenTrain's own CLI, so its users need no setup.

Token: ``OT_API_TOKEN``, ``OPENTRAIN_API_TOKEN``, then ``apiToken`` in
``${XDG_CONFIG_HOME:-~/.config}/opentrain/cli.json``. Base URL (an origin; the clients
append the API prefix): ``--base-url``, ``OT_API_BASE_URL``, ``OPENTRAIN_BASE_URL`` (the
official Python SDK's name), ``OPENTRAIN_API_BASE_URL``, ``baseUrl`` in that file, then the
public default; a blank value counts as unset and the next one is read. With no token
and no base URL the embedded sandbox is used.
``DRAFT_WIZARD_TIMEOUT`` sets the per-request timeout in seconds (default 30): the total
time one attempt may take, however slowly the bytes arrive. A malformed variable is
reported as a warning and ignored, never a traceback.

Tokens, keys and base URLs are stripped of surrounding whitespace (a token pasted with a
trailing newline would otherwise make an invalid header). Whether a base URL is an
origin is checked where it is used, by the clients' one check (``wizard.api.urls``),
which refuses userinfo, a query or a fragment with a sentence; nothing here imports the
client stack, so start-up stays fast. ``repr`` never shows a user name or password.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from wizard.config import (
    DEFAULT_BASE_URL,
    DEFAULT_FACETS_TTL,
    DEFAULT_RECRUITSOME_URL,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
)
from wizard.core.paths import config_home

BASE_URL_VARIABLES = ("OT_API_BASE_URL", "OPENTRAIN_BASE_URL", "OPENTRAIN_API_BASE_URL")
"""Where the environment names the API origin, first wins: OpenTrain's CLI reads the first
and the last, its Python SDK the middle one."""


class SecretStr:
    """A secret that never shows in repr/str (pydantic's interface, without pydantic)."""

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "SecretStr('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return hasattr(other, "get_secret_value") and other.get_secret_value() == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class EnvSettings:
    """What the environment says (first alias wins)."""

    def __init__(self, warnings: list[str]) -> None:
        def first(*names: str) -> tuple[str, str] | tuple[None, None]:
            for name in names:
                if name in os.environ:
                    return name, os.environ[name]
            return None, None

        _, token = first("OT_API_TOKEN", "OPENTRAIN_API_TOKEN")
        self.token = SecretStr(token.strip()) if token is not None else None
        self.base_url = next(
            (url for name in BASE_URL_VARIABLES if (url := _stripped(os.environ.get(name)))),
            None,
        )
        _, key = first("RECRUITSOME_API_KEY")
        self.recruitsome_key = SecretStr(key.strip()) if key is not None else None
        self.recruitsome_base_url = _stripped(first("RECRUITSOME_BASE_URL")[1])
        self.facets_ttl = self._number(warnings, "DRAFT_WIZARD_FACETS_TTL", DEFAULT_FACETS_TTL)
        self.timeout = self._number(
            warnings, "DRAFT_WIZARD_TIMEOUT", DEFAULT_TIMEOUT, 0, MAX_TIMEOUT
        )
        self.allow_insecure_http = False
        name, raw = first("DRAFT_WIZARD_ALLOW_INSECURE_HTTP")
        if raw is not None:
            flag = raw.strip().lower()
            if flag in ("1", "true", "yes", "on", "y", "t"):
                self.allow_insecure_http = True
            elif flag not in ("0", "false", "no", "off", "n", "f", ""):
                warnings.append(
                    f"{name} is not valid (Input should be a valid boolean); ignoring it."
                )

    @staticmethod
    def _number(
        warnings: list[str],
        name: str,
        default: float,
        gt: float | None = None,
        le: float | None = None,
    ) -> float:
        raw = os.environ.get(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            warnings.append(f"{name} is not valid (Input should be a valid number); ignoring it.")
            return default
        if math.isnan(value) or (gt is not None and value <= gt) or (le is not None and value > le):
            warnings.append(f"{name} is not valid (out of range); ignoring it.")
            return default
        return value


def _stripped(value: str | None) -> str | None:
    """``value`` without surrounding whitespace; blank is the same as unset."""
    if value is None:
        return None
    return value.strip() or None


_USERINFO = re.compile(r"(?<=//)[^/?#]*@")


def _shown(url: str | None) -> str | None:
    """A base URL safe to show: no user name, password, query or fragment."""
    if url is None:
        return None
    return _USERINFO.sub("", url).split("?", 1)[0].split("#", 1)[0]


class Settings:
    """The resolved configuration, with where each part came from (never the token itself)."""

    def __init__(
        self,
        *,
        token: SecretStr | None,
        token_source: str | None,
        base_url: str | None,
        sandbox: bool,
        recruitsome_key: SecretStr | None = None,
        recruitsome_base_url: str = DEFAULT_RECRUITSOME_URL,
        facets_ttl: float = DEFAULT_FACETS_TTL,
        allow_insecure_http: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        warnings: list[str] | None = None,
    ) -> None:
        self.token = token
        self.token_source = token_source
        self.base_url = base_url
        self.sandbox = sandbox
        self.recruitsome_key = recruitsome_key
        self.recruitsome_base_url = recruitsome_base_url
        self.facets_ttl = facets_ttl
        self.allow_insecure_http = allow_insecure_http
        self.timeout = timeout
        self.warnings = warnings or []

    def __repr__(self) -> str:
        return (
            f"Settings(base_url={_shown(self.base_url)!r}, sandbox={self.sandbox}, "
            f"token={'set' if self.token else 'unset'}, token_source={self.token_source!r})"
        )


def credentials_path() -> Path:
    """OpenTrain's shared credentials file."""
    return config_home() / "opentrain" / "cli.json"


def _read_credentials(path: Path, warnings: list[str]) -> dict[str, Any]:
    try:
        mode = path.stat().st_mode
    except OSError:
        return {}
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        warnings.append(f"{path} is readable by other users; run: chmod 600 {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        warnings.append(f"{path} could not be read as JSON; ignoring it.")
        return {}
    return data if isinstance(data, dict) else {}


def load_settings(
    *, base_url: str | None = None, force_sandbox: bool = False, allow_insecure: bool = False
) -> Settings:
    """Resolve settings from flags, environment and the credentials file."""
    warnings: list[str] = []
    env = EnvSettings(warnings)
    creds = _read_credentials(credentials_path(), warnings)

    token = env.token if env.token and env.token.get_secret_value().strip() else None
    source: str | None = "environment" if token else None
    if token is None and isinstance(creds.get("apiToken"), str) and creds["apiToken"].strip():
        token = SecretStr(creds["apiToken"].strip())
        source = str(credentials_path())

    resolved_base = (
        _stripped(base_url)
        or env.base_url
        or (_stripped(creds["baseUrl"]) if isinstance(creds.get("baseUrl"), str) else None)
    )
    sandbox = force_sandbox or (token is None and not resolved_base)
    return Settings(
        token=None if sandbox else token,
        token_source=None if sandbox else source,
        base_url=None if sandbox else (resolved_base or DEFAULT_BASE_URL),
        sandbox=sandbox,
        recruitsome_key=env.recruitsome_key,
        recruitsome_base_url=env.recruitsome_base_url or DEFAULT_RECRUITSOME_URL,
        facets_ttl=env.facets_ttl,
        allow_insecure_http=allow_insecure or env.allow_insecure_http,
        timeout=env.timeout,
        warnings=warnings,
    )
