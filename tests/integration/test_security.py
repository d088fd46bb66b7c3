"""The token stays secret, plain http stays local, and the local files stay private.

A distinctive token (the sandbox's) is searched for, byte for byte, in everything ``fill``
and the engine leave behind: stdout, stderr, the ``--json`` document, the journal file,
the facets cache files and every ``Exchange`` the request-log observer receives, also
when a careless server echoes the token back in its error bodies.
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from tests.fault_proxy import FaultProxy, Respond, envelope
from tests.integration.fill_helpers import (
    ANSWERS,
    DESCRIPTION,
    EXPECTED,
    fill_env,
    iter_files,
    journal,
    lost_answers,
    run_fill_cli,
    stored_fields,
    write_answers,
)
from wizard.api.errors import AuthenticationError, BadRequestError
from wizard.api.transport import Exchange
from wizard.core.backend import make_backend
from wizard.core.journal import Journal
from wizard.core.paths import cache_dir, config_home, state_dir
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

TOKEN = SANDBOX_TOKEN
WRONG_TOKEN = "ot_pat_distinctive_wrong_9f8e7d6c5b4a39281706"


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


def assert_secret_absent(secret: str, *texts: str | bytes) -> None:
    for text in texts:
        data = text if isinstance(text, bytes) else text.encode()
        assert secret.encode() not in data


def private_files() -> list[Path]:
    return [*iter_files(state_dir()), *iter_files(cache_dir())]


# ---- the token -----------------------------------------------------------------------------


def test_fill_never_shows_or_stores_the_token(server: SandboxServer, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    run = run_fill_cli(
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        "--publish",
        "--json",
        env=fill_env(server.base_url, TOKEN),
    )
    assert run.code == 0, run.stderr
    assert_secret_absent(TOKEN, run.stdout, run.stderr)
    files = private_files()
    assert state_dir() / "journal.sqlite3" in files
    for path in files:
        assert_secret_absent(TOKEN, path.read_bytes())


@pytest.mark.parametrize("token", [TOKEN, WRONG_TOKEN], ids=["accepted", "rejected"])
def test_a_server_echoing_the_token_does_not_leak_it(
    server: SandboxServer, tmp_path: Path, token: str
) -> None:
    """Error bodies that quote the Authorization header are scrubbed before anyone sees them."""
    answers = write_answers(tmp_path, ANSWERS)
    with FaultProxy(server.base_url) as proxy:
        echo = envelope(f"Bearer {token} may not PATCH this draft.", "BAD_REQUEST", token=token) | {
            "requestId": f"req-{token}"
        }
        echo["details"]["issues"] = [{"path": ["headcount"], "message": f"{token} is bad"}]
        if token == WRONG_TOKEN:
            proxy.script("GET", "/capabilities", Respond(401, echo))
        else:
            proxy.script("PATCH", "/job-drafts/", Respond(400, echo))
        run = run_fill_cli(
            "--description",
            DESCRIPTION,
            "--answers",
            answers,
            "--json",
            env=fill_env(proxy.base_url, token),
        )
    assert run.code == 1, run.stderr
    assert "«redacted»" in run.stderr
    assert_secret_absent(token, run.stdout, run.stderr)
    for path in private_files():
        assert_secret_absent(token, path.read_bytes())


async def test_exchanges_and_facets_cache_never_hold_the_token(server: SandboxServer) -> None:
    exchanges: list[Exchange] = []
    backend = make_backend(
        base_url=server.base_url,
        token=TOKEN,
        sandbox=False,
        journal=Journal.default(),
        observer=exchanges.append,
    )
    try:
        await backend.prepare()  # capabilities and facets (written to the cache)
        session = await backend.engine.create(DESCRIPTION)
        await backend.engine.submit(session, {k: ANSWERS[k] for k in sorted(ANSWERS)})
        await backend.engine.publish(session)
        with pytest.raises(BadRequestError):
            await backend.client.update_draft(session.job_id, {"noSuchKey": TOKEN[:4]})
    finally:
        await backend.aclose()
    assert lost_answers(stored_fields(server, session.job_id), EXPECTED) == {}

    rejected = make_backend(
        base_url=server.base_url,
        token=WRONG_TOKEN,
        sandbox=False,
        journal=None,
        observer=exchanges.append,
    )
    try:
        with pytest.raises(AuthenticationError) as caught:
            await rejected.client.me()
    finally:
        await rejected.aclose()
    assert_secret_absent(WRONG_TOKEN, str(caught.value))

    assert len(exchanges) >= 6
    assert {e.method for e in exchanges} >= {"GET", "POST", "PATCH"}
    for exchange in exchanges:
        assert exchange.headers.get("Authorization", "Bearer «redacted»") == "Bearer «redacted»"
        for item in fields(exchange):
            value = getattr(exchange, item.name)
            text = repr(value)
            assert_secret_absent(TOKEN, text)
            assert_secret_absent(WRONG_TOKEN, text)
    caches = list(iter_files(cache_dir()))
    assert caches, "prepare() wrote no facets cache"
    for path in [*caches, *iter_files(state_dir())]:
        assert_secret_absent(TOKEN, path.read_bytes())


# ---- plain http ----------------------------------------------------------------------------


def _non_loopback_address() -> str | None:
    """This machine's outward IPv4 address, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            address: str = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.parametrize(
    "base_url",
    ["http://example.com", "http://10.1.2.3:8080", "http://[2001:db8::1]"],
    ids=["name", "ipv4", "ipv6"],
)
def test_plain_http_to_another_machine_is_refused(tmp_path: Path, base_url: str) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    run = run_fill_cli(
        "--description", DESCRIPTION, "--answers", answers, "--json", env=fill_env(base_url, TOKEN)
    )
    sentence = run.assert_clean_failure(2, "Refusing plain http://", "--allow-insecure-http")
    assert "token would travel unencrypted" in sentence
    assert run.doc["error"]["kind"] == "usage"
    assert_secret_absent(TOKEN, run.stdout, run.stderr)


def test_plain_http_is_allowed_when_asked_for(tmp_path: Path) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to serve on")
    answers = write_answers(tmp_path, ANSWERS)
    with SandboxServer(host=address) as remote:
        env = fill_env(remote.base_url, TOKEN)
        refused = run_fill_cli("--description", DESCRIPTION, "--answers", answers, env=env)
        refused.assert_clean_failure(2, f"Refusing plain http:// for {address}")
        run = run_fill_cli(
            "--description",
            DESCRIPTION,
            "--answers",
            answers,
            "--allow-insecure-http",
            "--json",
            env=env,
        )
        assert run.code == 0, run.stderr
        assert lost_answers(stored_fields(remote, run.doc["jobId"]), EXPECTED) == {}


# ---- the credentials file and the journal ----------------------------------------------------


def _credentials(base_url: str, mode: int) -> Path:
    path = config_home() / "opentrain" / "cli.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{{"apiToken": "{TOKEN}", "baseUrl": "{base_url}"}}', encoding="utf-8")
    os.chmod(path, mode)
    return path


@pytest.mark.parametrize("mode", [0o644, 0o640], ids=["world", "group"])
def test_a_credentials_file_others_can_read_is_warned_about_and_used(
    server: SandboxServer, tmp_path: Path, mode: int
) -> None:
    path = _credentials(server.base_url, mode)
    answers = write_answers(tmp_path, ANSWERS)
    run = run_fill_cli("--description", DESCRIPTION, "--answers", answers, "--json", env=fill_env())
    assert run.code == 0, run.stderr
    warning = f"draft-wizard: warning: {path} is readable by other users; run: chmod 600 {path}"
    assert warning in run.stderr.splitlines()
    assert_secret_absent(TOKEN, run.stdout, run.stderr)
    # The file's token and base URL were used: the draft is on this server, not the embedded one.
    assert journal().draft(server.base_url, run.doc["jobId"]) is not None
    assert journal().drafts("sandbox") == []
    assert lost_answers(stored_fields(server, run.doc["jobId"]), EXPECTED) == {}


def test_a_private_credentials_file_is_used_quietly(server: SandboxServer, tmp_path: Path) -> None:
    _credentials(server.base_url, 0o600)
    answers = write_answers(tmp_path, ANSWERS)
    run = run_fill_cli("--description", DESCRIPTION, "--answers", answers, env=fill_env())
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr


def test_the_journal_is_private(server: SandboxServer, tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a typical umask: files would be 0644 unless made private
    try:
        answers = write_answers(tmp_path, ANSWERS)
        run = run_fill_cli(
            "--description", DESCRIPTION, "--answers", answers, env=fill_env(server.base_url)
        )
    finally:
        os.umask(old_umask)
    assert run.code == 0, run.stderr
    path = state_dir() / "journal.sqlite3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_dir().stat().st_mode) == 0o700
    for leftover in iter_files(state_dir()):  # any rollback journal SQLite left behind
        assert stat.S_IMODE(leftover.stat().st_mode) & 0o077 == 0, leftover
    # Opening it again (e.g. after someone loosened it) makes it private again.
    os.chmod(path, 0o644)
    Journal(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
