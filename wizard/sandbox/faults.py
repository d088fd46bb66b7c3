"""Fault-injection settings for the sandbox, parsed from a short spec string.

Spec syntax: comma-separated ``key=value`` pairs, every key optional::

    latency=0.05,error_rate=0.1,drop_rate=0.05,drop_after_rate=0.05,
    rate_limit_rate=0.05,hold=patch:30,seed=7

- ``latency``: seconds added to every request.
- ``error_rate``: fraction answered 503 (``Retry-After: 0``) or 502, in the error envelope.
- ``rate_limit_rate``: fraction answered 429 with ``Retry-After: 1``.
- ``drop_rate``: fraction whose connection is cut before the request is processed.
- ``drop_after_rate``: fraction processed (the write is applied) and then cut mid-response.
- ``hold=<kind>:<seconds>``: requests of that kind wait before being processed; kinds are
  ``patch``, ``create``, ``publish`` and ``all``. Repeat the key for several kinds.
- ``seed``: makes the random choices repeatable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

HOLD_KINDS = ("patch", "create", "publish", "all")
_RATE_KEYS = ("error_rate", "drop_rate", "drop_after_rate", "rate_limit_rate")
_KEYS = ("latency", *_RATE_KEYS, "hold", "seed")
MAX_LATENCY_SECONDS = 60.0
MAX_HOLD_SECONDS = 3600.0


@dataclass(frozen=True)
class FaultConfig:
    """Which faults the sandbox injects into `/api/public/v1` requests, and how often."""

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    drop_after_rate: float = 0.0
    rate_limit_rate: float = 0.0
    holds: dict[str, float] = field(default_factory=dict, hash=False)
    """Seconds to hold each request kind (`patch`, `create`, `publish`, `all`)."""
    seed: int | None = None

    @classmethod
    def parse(cls, spec: str) -> FaultConfig:
        """Parse a spec such as ``"latency=0.05,error_rate=0.1,hold=patch:30,seed=7"``.

        Raises:
            ValueError: with a sentence naming the bad part.
        """
        values: dict[str, float] = {}
        holds: dict[str, float] = {}
        seed: int | None = None
        for raw_part in spec.split(","):
            part = raw_part.strip()
            if not part:
                continue
            key, sep, value = (s.strip() for s in part.partition("="))
            if not sep or not value:
                raise ValueError(f"Fault setting '{part}' needs the form key=value.")
            if key not in _KEYS:
                raise ValueError(f"Unknown fault setting '{key}': use one of {', '.join(_KEYS)}.")
            if key == "seed":
                try:
                    seed = int(value)
                except ValueError:
                    raise ValueError(f"seed must be a whole number, not '{value}'.") from None
            elif key == "hold":
                kind, seconds = _parse_hold(value)
                holds[kind] = seconds
            elif key == "latency":
                values[key] = _parse_number(key, value, 0.0, MAX_LATENCY_SECONDS, "seconds")
            else:
                values[key] = _parse_number(key, value, 0.0, 1.0, "a fraction")
        return cls(holds=holds, seed=seed, **values)

    @classmethod
    def coerce(cls, value: FaultConfig | str | None) -> FaultConfig:
        """Accept a FaultConfig, a spec string, or None (no faults)."""
        if value is None:
            return cls()
        if isinstance(value, FaultConfig):
            return value
        return cls.parse(value)

    @property
    def active(self) -> bool:
        """Whether any fault can fire."""
        rates = (self.error_rate, self.drop_rate, self.drop_after_rate, self.rate_limit_rate)
        return self.latency > 0 or any(r > 0 for r in rates) or bool(self.holds)

    def hold_seconds(self, kind: str) -> float:
        """Seconds a request of this kind is held (0 when it is not)."""
        return max(self.holds.get(kind, 0.0), self.holds.get("all", 0.0))

    def to_spec(self) -> str:
        """The spec string that parses back to this configuration."""
        parts: list[str] = []
        if self.latency:
            parts.append(f"latency={self.latency:g}")
        for key in _RATE_KEYS:
            rate = getattr(self, key)
            if rate:
                parts.append(f"{key}={rate:g}")
        parts.extend(f"hold={kind}:{seconds:g}" for kind, seconds in self.holds.items())
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts)


def _parse_number(key: str, value: str, low: float, high: float, unit: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{key} must be a number ({unit}), not '{value}'.") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{key} must be between {low:g} and {high:g} ({unit}), not '{value}'.")
    return number


def _parse_hold(value: str) -> tuple[str, float]:
    kind, sep, seconds = (s.strip() for s in value.partition(":"))
    if not sep:
        raise ValueError(
            f"hold needs the form hold=<kind>:<seconds>, e.g. hold=patch:30, not '{value}'."
        )
    kind = kind.lower()
    if kind not in HOLD_KINDS:
        raise ValueError(f"hold kind '{kind}' is unknown: use one of {', '.join(HOLD_KINDS)}.")
    return kind, _parse_number("hold", seconds, 0.0, MAX_HOLD_SECONDS, "seconds")
