"""Every default in one table: where the APIs live, how long things may take, how many.

A leaf: it imports nothing of the wizard, so any layer (the clients, the core, the
command line, serve) reads its defaults here and no number is written twice. What
overrides each one (a flag, an environment variable) is named beside it; the
resolution itself is ``wizard.settings``.
"""

from __future__ import annotations

# Where the APIs live.
DEFAULT_BASE_URL = "https://app.opentrain.ai"
"""OpenTrain's origin when a token is set and no base URL is (``--base-url``,
``OT_API_BASE_URL`` and its aliases, ``baseUrl`` in OpenTrain's credentials file)."""
DEFAULT_RECRUITSOME_URL = "https://app.recruitsome.com"
"""Recruitsome's origin (``RECRUITSOME_BASE_URL``)."""

# How long things may take, in seconds.
DEFAULT_TIMEOUT = 30.0
"""One request attempt, however slowly the bytes arrive, as OpenTrain's own CLI uses
(``DRAFT_WIZARD_TIMEOUT``)."""
MAX_TIMEOUT = 600.0
"""The largest ``DRAFT_WIZARD_TIMEOUT`` accepted; a larger one is ignored with a warning."""
OPTIONAL_DEADLINE = 8.0
"""One attempt at optional data (facets, the marketplace search), whatever the timeout."""
DEFAULT_FACETS_TTL = 600.0
"""Cached facets stay fresh this long (``DRAFT_WIZARD_FACETS_TTL``)."""
STALE_LIMIT = 7 * 24 * 3600.0
"""The oldest cached answer still shown, with a note, when a fetch fails."""

# Where the local servers listen.
SANDBOX_HOST = "127.0.0.1"
SANDBOX_PORT = 8765
"""``draft-wizard sandbox`` (``--host``, ``--port``)."""
SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8000
"""``draft-wizard serve`` (``--host``, ``--port``)."""

# How many, for ``serve``.
DEFAULT_MAX_PARTICIPANTS = 30
"""From ``bench/test_serve_capacity.py`` on a 2-core, 24 GiB machine (README): a
participant costs about 64 MiB and 1.5 CPU-seconds to reach their form, so memory allows
hundreds, but when 30 join in the same second the last waits about 25 s for the form;
more would wait longer (``--max-participants``)."""
DEFAULT_GRACE_MINUTES = 10.0
"""How long ``serve`` keeps a disconnected participant's session for a reconnect
(``--grace-minutes``)."""
