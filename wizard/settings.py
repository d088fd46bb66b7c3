"""Configuration: the same names as OpenTrain's own CLI, so its users need no setup.

Token: ``OT_API_TOKEN``, ``OPENTRAIN_API_TOKEN``, then ``apiToken`` in
``${XDG_CONFIG_HOME:-~/.config}/opentrain/cli.json``. Base URL: ``--base-url``,
``OT_API_BASE_URL``, ``OPENTRAIN_API_BASE_URL``, ``baseUrl`` in that file, then the
public default. With no token and no base URL the embedded sandbox is used.
``DRAFT_WIZARD_TIMEOUT`` sets the per-request timeout in seconds (default 30). A
malformed variable is reported as a warning and ignored, never a traceback.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from wizard.core.paths import config_home

DEFAULT_BASE_URL = "https://app.opentrain.ai"
DEFAULT_RECRUITSOME_URL = "https://app.recruitsome.com"
DEFAULT_TIMEOUT = 30.0
"""Per-request timeout in seconds, as OpenTrain's own CLI uses."""


class EnvSettings(BaseSettings):
    """What the environment says (first alias wins)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OT_API_TOKEN", "OPENTRAIN_API_TOKEN")
    )
    """The personal API token."""
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OT_API_BASE_URL", "OPENTRAIN_API_BASE_URL")
    )
    """The API origin."""
    recruitsome_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("RECRUITSOME_API_KEY")
    )
    """A Recruitsome API key with ``vacancies:read``."""
    recruitsome_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("RECRUITSOME_BASE_URL")
    )
    """Where Recruitsome lives."""
    facets_ttl: float = Field(
        default=600.0, validation_alias=AliasChoices("DRAFT_WIZARD_FACETS_TTL")
    )
    """How long cached facets stay fresh, in seconds."""
    allow_insecure_http: bool = Field(
        default=False, validation_alias=AliasChoices("DRAFT_WIZARD_ALLOW_INSECURE_HTTP")
    )
    """Allow plain http to a host that is not this machine."""
    timeout: float = Field(
        default=DEFAULT_TIMEOUT, gt=0, le=600, validation_alias=AliasChoices("DRAFT_WIZARD_TIMEOUT")
    )
    """Seconds one HTTP request may take before it counts as timed out (and is retried)."""


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
        facets_ttl: float = 600.0,
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
            f"Settings(base_url={self.base_url!r}, sandbox={self.sandbox}, "
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


def _env_settings(warnings: list[str]) -> EnvSettings:
    """The environment's settings; a malformed variable is warned about and ignored.

    A typo in, say, ``DRAFT_WIZARD_TIMEOUT`` must cost a warning line, not a traceback.
    The offending value is never echoed (it could be a secret pasted in the wrong place).
    """
    try:
        return EnvSettings()
    except ValidationError as err:
        aliases = {
            str(alias): name
            for name, info in EnvSettings.model_fields.items()
            if isinstance(info.validation_alias, AliasChoices)
            for alias in info.validation_alias.choices
        }
        defaults: dict[str, Any] = {}
        for problem in err.errors():
            variable = str(problem["loc"][0]) if problem["loc"] else "?"
            name = aliases.get(variable, variable)
            if name in EnvSettings.model_fields and name not in defaults:
                defaults[name] = EnvSettings.model_fields[name].default
                warnings.append(f"{variable} is not valid ({problem['msg']}); ignoring it.")
        try:
            return EnvSettings(**defaults)
        except ValidationError:
            return EnvSettings.model_construct()


def load_settings(
    *, base_url: str | None = None, force_sandbox: bool = False, allow_insecure: bool = False
) -> Settings:
    """Resolve settings from flags, environment and the credentials file."""
    warnings: list[str] = []
    env = _env_settings(warnings)
    creds = _read_credentials(credentials_path(), warnings)

    token = env.token if env.token and env.token.get_secret_value().strip() else None
    source: str | None = "environment" if token else None
    if token is None and isinstance(creds.get("apiToken"), str) and creds["apiToken"].strip():
        token = SecretStr(creds["apiToken"].strip())
        source = str(credentials_path())

    resolved_base = (
        base_url
        or env.base_url
        or (creds.get("baseUrl") if isinstance(creds.get("baseUrl"), str) else None)
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
