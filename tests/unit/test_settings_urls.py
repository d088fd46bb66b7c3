"""Base URLs are origins, and tokens are read without stray whitespace.

The one origin check (``wizard.api.urls``) is shared by both clients: userinfo, a query
or a fragment is refused with a sentence that never repeats the password, and a
malformed address is a sentence, not a traceback. Settings strip tokens, keys and URLs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from wizard.api.errors import InsecureURLError
from wizard.api.opentrain.client import API_PREFIX, OPENTRAIN_ROOT, OpenTrainClient
from wizard.api.recruitsome.client import RECRUITSOME_PREFIX, RECRUITSOME_ROOT, RecruitsomeClient
from wizard.settings import credentials_path, load_settings

PASSWORD = "hunter2-Pa55w0rd"
TOKEN = "ot_pat_8f2a1234_s3cr3tS3CR3Tsecret91cd"

ROOTS = [
    pytest.param(OPENTRAIN_ROOT.root, OpenTrainClient, "token", id="opentrain"),
    pytest.param(RECRUITSOME_ROOT.root, RecruitsomeClient, "key", id="recruitsome"),
]


@pytest.mark.parametrize(("root", "client", "secret"), ROOTS)
@pytest.mark.parametrize(
    "base",
    [
        f"https://user:{PASSWORD}@app.example.test",
        f"https://{PASSWORD}@app.example.test",
        f"https://user:{PASSWORD}@app.example.test/api",
        f"http://user:{PASSWORD}@localhost:8765",
        f"https://user:{PASSWORD}@[::1",  # malformed as well: the password still stays out
    ],
)
def test_userinfo_is_refused_without_echoing_the_password(
    root: Callable[..., str], client: Callable[..., object], secret: str, base: str
) -> None:
    builds: list[Callable[[], object]] = [
        lambda: root(base, allow_insecure=True),
        lambda: client(base, TOKEN),
    ]
    for build in builds:
        with pytest.raises(InsecureURLError) as caught:
            build()
        message = caught.value.message
        assert PASSWORD not in message and PASSWORD not in str(caught.value)
        assert "user name or password" in message
        assert "user:" not in message


@pytest.mark.parametrize(("root", "client", "secret"), ROOTS)
@pytest.mark.parametrize(
    ("base", "part"),
    [
        ("https://app.example.test/?q=1", "query"),
        ("https://app.example.test?", "query"),
        (f"https://app.example.test/?token={PASSWORD}", "query"),
        ("https://app.example.test/#top", "fragment"),
        (f"https://app.example.test#{PASSWORD}", "fragment"),
    ],
)
def test_a_query_or_fragment_is_refused(
    root: Callable[..., str], client: Callable[..., object], secret: str, base: str, part: str
) -> None:
    with pytest.raises(InsecureURLError) as caught:
        client(base, TOKEN)
    assert part in caught.value.message
    assert PASSWORD not in caught.value.message
    assert "'https://app.example.test" in caught.value.message


@pytest.mark.parametrize(("root", "client", "secret"), ROOTS)
@pytest.mark.parametrize(
    "base", ["http://[::1", "https://[app.example.test", "https://app.example.test:99999x"]
)
def test_a_malformed_address_is_a_sentence(
    root: Callable[..., str], client: Callable[..., object], secret: str, base: str
) -> None:
    with pytest.raises(InsecureURLError) as caught:
        client(base, TOKEN)
    assert caught.value.message.endswith("is not a valid address.")


@pytest.mark.parametrize(
    ("root", "prefix"),
    [(OPENTRAIN_ROOT.root, API_PREFIX), (RECRUITSOME_ROOT.root, RECRUITSOME_PREFIX)],
)
@pytest.mark.parametrize(
    "base", ["https://proxy.example.test/opentrain", "https://proxy.example.test/a/b/"]
)
def test_a_path_stays_as_it_was(root: Callable[..., str], prefix: str, base: str) -> None:
    assert root(base) == base.rstrip("/") + prefix


def test_plain_http_sentences_are_unchanged() -> None:
    with pytest.raises(InsecureURLError) as caught:
        OPENTRAIN_ROOT.root("http://app.example.test")
    assert caught.value.message == (
        "Refusing plain http:// for app.example.test: the token would travel unencrypted. "
        "Use https://, or pass --allow-insecure-http if you really mean it."
    )
    with pytest.raises(InsecureURLError) as caught:
        RECRUITSOME_ROOT.root("http://rs.example.test")
    assert caught.value.message == (
        "Refusing plain http:// for rs.example.test: the Recruitsome key would travel "
        "unencrypted; use https://."
    )


def test_an_escape_in_a_base_url_is_not_repeated() -> None:
    with pytest.raises(InsecureURLError) as caught:
        OPENTRAIN_ROOT.root("ftp://app\x1b]0;x\x07.example.test")
    assert "\x1b" not in caught.value.message and "\x07" not in caught.value.message


# ---- settings --------------------------------------------------------------------------------


def test_a_token_with_a_trailing_newline_is_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OT_API_TOKEN", f"  {TOKEN}\n")
    settings = load_settings()
    assert settings.token is not None
    assert settings.token.get_secret_value() == TOKEN


def test_a_token_in_the_credentials_file_is_stripped() -> None:
    path: Path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"apiToken": f"{TOKEN}\r\n"}), encoding="utf-8")
    path.chmod(0o600)
    settings = load_settings()
    assert settings.token is not None and settings.token.get_secret_value() == TOKEN


def test_a_blank_token_is_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OT_API_TOKEN", " \n")
    assert load_settings().sandbox


def test_the_recruitsome_key_and_urls_are_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OT_API_TOKEN", TOKEN)
    monkeypatch.setenv("OT_API_BASE_URL", " https://app.example.test \n")
    monkeypatch.setenv("RECRUITSOME_API_KEY", "rs_key_0123456789\n")
    monkeypatch.setenv("RECRUITSOME_BASE_URL", "https://rs.example.test\n")
    settings = load_settings()
    assert settings.base_url == "https://app.example.test"
    assert settings.recruitsome_key is not None
    assert settings.recruitsome_key.get_secret_value() == "rs_key_0123456789"
    assert settings.recruitsome_base_url == "https://rs.example.test"


def test_a_flag_base_url_is_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OT_API_TOKEN", TOKEN)
    assert load_settings(base_url="https://app.example.test\n").base_url == (
        "https://app.example.test"
    )


def test_settings_never_show_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OT_API_TOKEN", TOKEN)
    monkeypatch.setenv("OT_API_BASE_URL", f"https://user:{PASSWORD}@app.example.test/?k=v")
    settings = load_settings()
    assert PASSWORD not in repr(settings) and TOKEN not in repr(settings)
    assert "https://app.example.test/" in repr(settings)


async def test_settings_with_a_userinfo_url_are_refused_by_the_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What every caller does with settings: build the client, which refuses in one sentence.
    monkeypatch.setenv("OT_API_TOKEN", TOKEN)
    monkeypatch.setenv("OT_API_BASE_URL", f"https://user:{PASSWORD}@app.example.test")
    monkeypatch.setenv("RECRUITSOME_BASE_URL", "http://[::1")
    settings = load_settings()
    assert settings.base_url is not None
    with pytest.raises(InsecureURLError) as caught:
        OpenTrainClient(settings.base_url, TOKEN)
    assert PASSWORD not in caught.value.message
    with pytest.raises(InsecureURLError) as caught:
        RecruitsomeClient(settings.recruitsome_base_url, "rs_key_0123456789")
    assert caught.value.message == "The Recruitsome base URL 'http://[::1' is not a valid address."


async def test_a_stripped_token_reaches_the_server_as_a_valid_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", f"{TOKEN}\n")
    settings = load_settings(base_url="https://app.example.test")
    assert settings.token is not None
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={"actor": {}, "token": {}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = OpenTrainClient(
            settings.base_url or "", settings.token.get_secret_value(), http_client=http
        )
        await client.me()
    assert seen == [f"Bearer {TOKEN}"]


# ---- the base-URL chain ----------------------------------------------------------------------

CHAIN = ("OT_API_BASE_URL", "OPENTRAIN_BASE_URL", "OPENTRAIN_API_BASE_URL")
"""The environment's names for the origin, first wins (DESIGN.md's order)."""


def _write_credentials(**data: str) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)


def test_opentrain_base_url_alone_is_the_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    # The official Python SDK's name: without a token it still leaves the sandbox.
    monkeypatch.setenv("OPENTRAIN_BASE_URL", "https://staging.example.test\n")
    settings = load_settings()
    assert not settings.sandbox
    assert settings.base_url == "https://staging.example.test"
    # An origin, like the others: the client appends the API prefix.
    assert OpenTrainClient(settings.base_url, TOKEN).root == (
        "https://staging.example.test" + API_PREFIX
    )


@pytest.mark.parametrize("winner", range(len(CHAIN)))
def test_the_chain_order_in_the_environment(monkeypatch: pytest.MonkeyPatch, winner: int) -> None:
    _write_credentials(apiToken=TOKEN, baseUrl="https://file.example.test")
    for index, name in enumerate(CHAIN[winner:], start=winner):
        monkeypatch.setenv(name, f"https://env{index}.example.test")
    assert load_settings().base_url == f"https://env{winner}.example.test"
    # The flag beats every variable.
    assert load_settings(base_url="https://flag.example.test").base_url == (
        "https://flag.example.test"
    )


def test_the_file_and_the_default_come_after_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", TOKEN)
    assert load_settings().base_url == "https://app.opentrain.ai"
    _write_credentials(baseUrl="https://file.example.test")
    assert load_settings().base_url == "https://file.example.test"
    monkeypatch.setenv("OPENTRAIN_API_BASE_URL", "https://env2.example.test")
    assert load_settings().base_url == "https://env2.example.test"
    monkeypatch.setenv("OPENTRAIN_BASE_URL", "https://env1.example.test")
    assert load_settings().base_url == "https://env1.example.test"


@pytest.mark.parametrize("blank", ["", "  ", "\n"])
def test_a_blank_variable_passes_to_the_next(monkeypatch: pytest.MonkeyPatch, blank: str) -> None:
    # As the official tools read them (`a || b`, `a or b`): blank is unset.
    monkeypatch.setenv("OT_API_TOKEN", TOKEN)
    monkeypatch.setenv("OT_API_BASE_URL", blank)
    monkeypatch.setenv("OPENTRAIN_BASE_URL", blank)
    monkeypatch.setenv("OPENTRAIN_API_BASE_URL", "https://env2.example.test")
    assert load_settings().base_url == "https://env2.example.test"
    monkeypatch.setenv("OPENTRAIN_BASE_URL", "https://env1.example.test")
    assert load_settings().base_url == "https://env1.example.test"


def test_opentrain_base_url_never_reaches_the_sandbox_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENTRAIN_BASE_URL", "https://staging.example.test")
    settings = load_settings(force_sandbox=True)
    assert settings.sandbox and settings.base_url is None


@pytest.mark.parametrize(
    ("variable", "what", "source"),
    [
        ("RECRUITSOME_BASE_URL", "The Recruitsome base URL", "recruitsome"),
        ("OT_API_BASE_URL", "The base URL", "opentrain"),
    ],
)
def test_a_malformed_base_url_on_the_command_line_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, variable: str, what: str, source: str
) -> None:
    # Through the real entry point, as a user meets it: one sentence, a non-zero exit,
    # no traceback, whichever service's variable holds the malformed address.
    monkeypatch.setenv(variable, "http://[::1")
    monkeypatch.setenv("RECRUITSOME_API_KEY", "rs_key_0123456789")
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "facets", "--source", source],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"draft-wizard facets: {what} 'http://[::1' is not a valid address."
    ]
