"""The disk cache of marketplace answers, and the fetches in flight.

Facets and the rate hint are cached the same way: one small JSON file per source and
scope under the XDG cache dir, fresh for a TTL (a second use within it sends no request).
``InFlight`` lets concurrent callers asking for the same entry share one request; its
owner (a run's backend) decides who shares.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from wizard.config import DEFAULT_FACETS_TTL as DEFAULT_FACETS_TTL
from wizard.config import STALE_LIMIT as STALE_LIMIT
from wizard.core.paths import cache_dir as default_cache_dir
from wizard.core.paths import private_dir

CACHE_VERSION = 1

T = TypeVar("T")


def entry_name(prefix: str, *parts: str) -> str:
    """A cache entry's name: ``prefix`` and a one-way digest of ``parts`` (an origin, a
    key's fingerprint, filters), so nothing secret is on disk and no two scopes share."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]
    return f"{prefix}-{digest}"


@dataclass(frozen=True)
class CacheEntry:
    """One cached answer."""

    payload: dict[str, Any]
    fetched_at: float
    """When it was fetched (epoch seconds)."""
    age: float
    """Seconds since then."""


class FacetCache:
    """Small JSON files, one per source and scope, written atomically, read defensively.

    A file that is missing, unreadable, not JSON, of another version, dated in the future
    or otherwise odd is ignored (as if absent). Writes go to a temporary file in the same
    directory and are renamed into place, so a reader never sees half a file. Files and
    the directory are private to the user (a tenant's facets are its own business).
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        ttl: float = DEFAULT_FACETS_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Build a cache.

        Args:
            directory: Where the files live; ``$XDG_CACHE_HOME/draft-wizard`` when None.
            ttl: Seconds an entry stays fresh; 0 or less turns fresh reads off.
            clock: The time source (tests advance it by hand).
        """
        self.directory = directory if directory is not None else default_cache_dir()
        self.ttl = ttl
        self.clock = clock

    def path_for(self, name: str) -> Path:
        """The file that holds entry ``name``."""
        return self.directory / f"facets-{name}.json"

    def flight_key(self, name: str) -> str:
        """The key concurrent fetches of entry ``name`` share (one per directory)."""
        return f"{self.directory}\x1f{name}"

    def read(self, name: str, *, max_age: float | None = None) -> CacheEntry | None:
        """The entry if it is younger than ``max_age`` (default: the TTL), else None."""
        limit = self.ttl if max_age is None else max_age
        if limit <= 0:
            return None
        try:
            raw = self.path_for(name).read_bytes()
            document = json.loads(raw)
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(document, dict) or document.get("version") != CACHE_VERSION:
            return None
        fetched_at = document.get("fetchedAt")
        payload = document.get("payload")
        if document.get("name") != name or not isinstance(payload, dict):
            return None
        if not isinstance(fetched_at, int | float) or isinstance(fetched_at, bool):
            return None
        age = self.clock() - float(fetched_at)
        if age < -60.0 or age >= limit:
            return None  # from the future (a clock jump), or too old
        return CacheEntry(payload=payload, fetched_at=float(fetched_at), age=max(age, 0.0))

    def write(self, name: str, payload: dict[str, Any]) -> bool:
        """Store an entry atomically; False (and nothing changed) when the disk says no.

        Atomic, not durable: the entry is written to a temporary file and renamed over
        the old one, so a reader sees the old entry or the new one, never half of one.
        It is not fsynced: a cache lost to a power cut is fetched again (and ``read``
        takes anything unreadable for a missing entry), while an fsync costs
        milliseconds on a busy disk and kept the write off the UI's loop, in a thread.
        """
        document = {
            "version": CACHE_VERSION,
            "name": name,
            "fetchedAt": self.clock(),
            "payload": payload,
        }
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        tmp: str | None = None
        try:
            directory = private_dir(self.directory)
            fd, tmp = tempfile.mkstemp(prefix=f".facets-{name}.", suffix=".tmp", dir=directory)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.path_for(name))
            tmp = None
            return True
        except OSError:
            return False
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    async def write_soon(self, name: str, payload: dict[str, Any]) -> bool:
        """``write``, from a coroutine: a few kilobytes with no fsync take well under a
        millisecond, so it runs on the loop (a worker thread cost more than the write)."""
        return self.write(name, payload)


class InFlight:
    """The fetches running now, so concurrent callers asking for the same key share one.

    A run's backend owns one: the engine's facets and the form's rate hint go through it,
    and a second caller waits for the first one's request instead of sending its own.
    """

    def __init__(self) -> None:
        self._running: dict[str, asyncio.Future[Any]] = {}

    async def once(self, key: str, factory: Callable[[], Awaitable[T]]) -> T:
        """Run ``factory`` once for concurrent callers asking for ``key``; each gets its
        outcome (value or error). A caller cancelled while waiting leaves the fetch running
        for the others."""
        loop = asyncio.get_running_loop()
        running = self._running.get(key)
        # A fetch left by another event loop (a finished test, a closed app) cannot be awaited.
        if running is not None and running.get_loop() is loop:
            result: T = await asyncio.shield(running)
            return result
        task: asyncio.Future[T] = asyncio.ensure_future(factory())
        # Someone always retrieves the outcome, so an abandoned failure is never logged.
        task.add_done_callback(lambda t: None if t.cancelled() else t.exception())
        self._running[key] = task
        try:
            return await asyncio.shield(task)
        finally:
            if self._running.get(key) is task:
                del self._running[key]
