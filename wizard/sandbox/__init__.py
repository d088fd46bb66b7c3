"""An embedded, faithful sandbox of the OpenTrain public API (plus Recruitsome's facets).

The API reference in `../shared/reference/` is the judge; where it is silent, the sandbox's
own choices are listed as "not documented" in `wizard/sandbox/README.md`.

Importing this package is cheap: the demo credentials and `FaultConfig` are plain Python,
and FastAPI/uvicorn load only when `create_app`, `SandboxServer` or `serve` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.sandbox.accounts import (
    SANDBOX_AT_LIMIT_TOKEN,
    SANDBOX_NO_DRAFTING_TOKEN,
    SANDBOX_NO_PUBLISH_TOKEN,
    SANDBOX_OTHER_TOKEN,
    SANDBOX_READONLY_TOKEN,
    SANDBOX_RECRUITSOME_DISABLED_KEY,
    SANDBOX_RECRUITSOME_KEY,
    SANDBOX_RECRUITSOME_KEYS,
    SANDBOX_RECRUITSOME_NO_SCOPE_KEY,
    SANDBOX_RECRUITSOME_NON_AGENCY_KEY,
    SANDBOX_TOKEN,
    SANDBOX_TOKENS,
    Account,
    RecruitsomeKey,
    TokenProfile,
)
from wizard.sandbox.faults import FaultConfig

if TYPE_CHECKING:
    from wizard.sandbox.app import create_app
    from wizard.sandbox.server import SandboxServer, serve

__all__ = [
    "SANDBOX_AT_LIMIT_TOKEN",
    "SANDBOX_NO_DRAFTING_TOKEN",
    "SANDBOX_NO_PUBLISH_TOKEN",
    "SANDBOX_OTHER_TOKEN",
    "SANDBOX_READONLY_TOKEN",
    "SANDBOX_RECRUITSOME_DISABLED_KEY",
    "SANDBOX_RECRUITSOME_KEY",
    "SANDBOX_RECRUITSOME_KEYS",
    "SANDBOX_RECRUITSOME_NO_SCOPE_KEY",
    "SANDBOX_RECRUITSOME_NON_AGENCY_KEY",
    "SANDBOX_TOKEN",
    "SANDBOX_TOKENS",
    "Account",
    "FaultConfig",
    "RecruitsomeKey",
    "SandboxServer",
    "TokenProfile",
    "create_app",
    "serve",
]

_LAZY = {
    "create_app": "wizard.sandbox.app",
    "SandboxServer": "wizard.sandbox.server",
    "serve": "wizard.sandbox.server",
}


def __getattr__(name: str) -> Any:
    # PEP 562: the server side (FastAPI, uvicorn) is imported on first use only.
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'wizard.sandbox' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
