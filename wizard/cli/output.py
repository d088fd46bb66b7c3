"""What the headless commands print: one JSON document no terminal acts on."""

from __future__ import annotations

import json
import re
from typing import Any

# JSON escapes C0 itself; DEL, C1 and lone surrogates it leaves raw (ensure_ascii=False),
# and some terminals act on C1. They only occur inside strings, where \uXXXX is the
# same text.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def json_text(document: dict[str, Any]) -> str:
    """The one JSON document, safe to print on any terminal, non-ASCII text kept readable."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
