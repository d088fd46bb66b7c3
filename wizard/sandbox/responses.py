"""A JSON response that cannot fail to render, whatever ended up in the payload."""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.responses import JSONResponse


class SandboxJSONResponse(JSONResponse):
    """JSON in compact UTF-8; non-finite numbers become null instead of raising.

    The sandbox must never answer 500, so rendering is made total: a NaN that slipped into a
    payload, or a lone surrogate in echoed input, degrades gracefully.
    """

    def render(self, content: Any) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except ValueError:
            text = json.dumps(_finite(content), ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8", errors="replace")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
