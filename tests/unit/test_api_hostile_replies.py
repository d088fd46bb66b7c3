"""Both API clients against a hostile or broken server, over ``httpx.MockTransport``.

Server text is data: escape sequences and control characters never come out of a parsed
reply, an echoed token or key is redacted everywhere, a dripping reply is abandoned
within the deadline times the attempts, nonsense ``Retry-After`` values are clamped,
malformed replies end in one typed sentence, and a reply about another draft is refused.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from wizard.api.errors import (
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ResponseShapeError,
    ServerError,
    WizardAPIError,
)
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.retry import RetryPolicy
from wizard.api.sanitize import (
    MAX_DEPTH,
    REDACTED,
    UnreadableReply,
    clean_json,
    clean_text,
    decode_json,
)
from wizard.api.transport import Exchange

TOKEN = "ot_pat_8f2a1234_s3cr3tS3CR3Tsecret91cd"
KEY = "rs_live_k3yK3YkeyABCDEF0123456789"
ORIGIN = "https://api.example.test"
RS_ORIGIN = "https://rs.example.test"

# What must never survive the boundary: C0 but tab and newline, DEL, C1, lone surrogates.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC8 = "\x1b]8;;https://evil.test\x1b\\click\x1b]8;;\x1b\\"
HOSTILE = f"Pay {OSC52}per\x1b[2J\x1b[H label{OSC8} \x9b31m[USD]\x7f\r\x00\ud800\tok\nnext"

Handler = Callable[[httpx.Request], httpx.Response]


def draft_reply(job_id: str = "job_1", **extra: Any) -> dict[str, Any]:
    return {
        "ok": True,
        "jobId": job_id,
        "status": "DRAFT",
        "validation": {
            "publishReady": False,
            "missingFields": [
                {
                    "field": "experienceLevel",
                    "type": "enum",
                    "prompt": "ask: Which level?",
                    "enumValues": ["EXPERT", "ENTRY_LEVEL"],
                    "updateKeys": ["experienceLevel"],
                }
            ],
        },
        **extra,
    }


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value, dict keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def assert_clean(*values: Any) -> None:
    for value in values:
        for text in strings(value):
            assert not FORBIDDEN.search(text), repr(text)
            text.encode("utf-8")  # printable: no lone surrogate left


class Recorder:
    """Delays the retry policy asked for, and the exchanges the observer saw."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.exchanges: list[Exchange] = []

    async def sleeper(self, seconds: float) -> None:
        self.delays.append(seconds)

    def policy(self, attempts: int = 3) -> RetryPolicy:
        return RetryPolicy(max_attempts=attempts, sleeper=self.sleeper)


@pytest.fixture
async def clients() -> AsyncIterator[list[httpx.AsyncClient]]:
    made: list[httpx.AsyncClient] = []
    yield made
    for http in made:
        await http.aclose()


@pytest.fixture
def opentrain(
    clients: list[httpx.AsyncClient],
) -> Callable[..., tuple[OpenTrainClient, Recorder]]:
    def build(
        handler: Handler, *, timeout: float = 30.0, attempts: int = 3, token: str | None = TOKEN
    ) -> tuple[OpenTrainClient, Recorder]:
        recorder = Recorder()
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        clients.append(http)
        client = OpenTrainClient(
            ORIGIN,
            token,
            http_client=http,
            retry=recorder.policy(attempts),
            timeout=timeout,
            observer=recorder.exchanges.append,
        )
        return client, recorder

    return build


@pytest.fixture
def recruitsome(
    clients: list[httpx.AsyncClient],
) -> Callable[..., tuple[RecruitsomeClient, Recorder]]:
    def build(handler: Handler, *, timeout: float = 30.0) -> tuple[RecruitsomeClient, Recorder]:
        recorder = Recorder()
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        clients.append(http)
        client = RecruitsomeClient(
            RS_ORIGIN,
            KEY,
            http_client=http,
            retry=recorder.policy(),
            timeout=timeout,
            observer=recorder.exchanges.append,
        )
        return client, recorder

    return build


def respond(status: int, body: Any) -> httpx.Response:
    """A JSON reply as a server may send it: ``\\u`` escapes for control characters and
    lone surrogates (httpx's own ``json=`` cannot encode a lone surrogate)."""
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )


def always(response: Callable[[], httpx.Response]) -> Handler:
    return lambda _request: response()


# ---- the sanitising function itself --------------------------------------------------------


def test_clean_text_drops_escape_sequences_with_their_payload() -> None:
    cleaned = clean_text(HOSTILE)
    assert cleaned == "Pay per labelclick [USD]\ufffd\tok\nnext"
    assert "ZWNobyBwd25lZA" not in cleaned  # the clipboard payload of OSC 52
    assert "evil.test" not in cleaned  # the link target of OSC 8


def test_clean_text_keeps_ordinary_text_as_is() -> None:
    text = "Pay per label [USD] — 10 €, [bold]not markup[/]\n\tindented ✓ 😀"
    assert clean_text(text) is text


def test_clean_json_cleans_keys_and_values_at_any_depth_and_redacts() -> None:
    value = {"a\x1b[1m": [{"b": f"x{TOKEN}y\x07"}], TOKEN: 1, "n": None, "f": 1.5}
    assert clean_json(value, [TOKEN]) == {
        "a": [{"b": f"x{REDACTED}y"}],
        REDACTED: 1,
        "n": None,
        "f": 1.5,
    }


@pytest.mark.parametrize("control", ["\x07", "\x00", "\x9c", "\x7f", "\r"])
def test_a_token_split_by_a_control_character_is_still_redacted(control: str) -> None:
    split = TOKEN[:10] + control + TOKEN[10:]
    assert decode_json(json.dumps({"m": split}), [TOKEN]) == {"m": REDACTED}


def test_a_token_right_after_an_escape_is_redacted_whole() -> None:
    # ESC takes the next character as its own; the token must be found before that.
    assert decode_json(json.dumps({"m": "\x1b" + TOKEN}), [TOKEN]) == {"m": REDACTED}


def test_short_secrets_are_not_searched_in_data() -> None:
    # A test token "t" must not turn every "t" of a reply into the marker.
    assert decode_json(b'{"title": "tt"}', ["t"]) == {"title": "tt"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"<html>maintenance</html>", "not JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not"),
        (b'{"a": "\xc3\x28"}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested"),
        (b'{"n": ' + b"9" * 5000 + b"}", "not JSON"),
    ],
)
def test_decode_json_turns_every_malformed_body_into_one_reason(body: bytes, reason: str) -> None:
    with pytest.raises(UnreadableReply) as caught:
        decode_json(body)
    assert reason in caught.value.reason


# ---- 1. control characters never leave a parsed reply ----------------------------------------


async def test_a_draft_reply_comes_out_without_escapes(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    reply = draft_reply(warnings=[HOSTILE])
    field = reply["validation"]["missingFields"][0]
    field["prompt"] = f"ask: {HOSTILE}"
    field["label"] = f"Level{OSC52}"
    field["enumValues"] = ["EXPERT\x1b[31m", "ENTRY\x9b2J"]
    field["enumLabels"] = {"EXPERT\x1b]0;title\x07": f"Expert{OSC8}"}
    reply["normalizedFields"] = {"jobTitle\x1b[5m": HOSTILE}
    client, recorder = opentrain(always(lambda: respond(200, reply)))

    draft = await client.update_draft("job_1", {"jobTitle": "x"})

    assert_clean(draft.model_dump(), recorder.exchanges[0].response_body)
    missing = draft.missing_fields[0]
    assert missing.prompt is not None and "\x1b" not in missing.prompt
    assert "per label" in missing.prompt and "\tok\nnext" in missing.prompt
    assert missing.enum_values == ["EXPERT", "ENTRY"]
    assert draft.normalized_fields == {"jobTitle": clean_text(HOSTILE)}
    assert draft.warnings == [clean_text(HOSTILE)]


async def test_an_error_envelope_comes_out_without_escapes(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    body = {
        "error": f"Bad {OSC52}value",
        "code": "BAD\x1b[2JREQUEST",
        "requestId": "req\x1b]0;x\x07-1",
        "details": {
            "issues": [{"path": ["price\x1b[1mPerHour"], "message": f"Too low{OSC8}\x9b"}],
            "nested\x7f": [{"deep\x1b": HOSTILE}],
        },
    }
    client, recorder = opentrain(always(lambda: respond(400, body)))

    with pytest.raises(BadRequestError) as caught:
        await client.update_draft("job_1", {"pricePerHour": 1})

    err = caught.value
    assert err.message == "Bad value"
    assert err.code == "BADREQUEST"
    assert err.request_id == "req-1"
    assert err.field_errors == {"pricePerHour": "Too lowclick"}
    assert_clean(err.message, err.code, err.request_id, err.details, err.field_errors)
    assert_clean([dataclass_strings(e) for e in recorder.exchanges])
    str(err).encode("utf-8")


async def test_a_request_id_header_comes_out_without_escapes(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    client, recorder = opentrain(
        always(lambda: httpx.Response(409, headers=[(b"x-request-id", b"r\x1b]2;t\x07-\x85\x7f1")]))
    )
    with pytest.raises(APIStatusError) as caught:
        await client.publish("job_1")
    assert caught.value.request_id == "r-1"
    assert recorder.exchanges[0].request_id == "r-1"


async def test_recruitsome_facets_and_errors_come_out_without_escapes(
    recruitsome: Callable[..., tuple[RecruitsomeClient, Recorder]],
) -> None:
    facets = {
        "data": {
            "tags": [{"id": 1, "name": f"Eng{OSC52}", "count": 2, "sub_tags": [{"name": HOSTILE}]}],
            "locations": [{"id": 2, "name": "Berlin\x1b[2J", "city": "B\x9berlin"}],
        },
        "meta": {"filters_applied": {"tags\x1b[1m": ["1"]}},
    }
    client, recorder = recruitsome(always(lambda: respond(200, facets)))
    result = await client.vacancy_facets()
    assert result.data.tags[0].name == "Eng"
    assert result.data.locations[0].name == "Berlin"
    assert result.meta.filter_names == ["tags"]
    assert_clean(result.to_document(), recorder.exchanges[0].response_body)

    refused = {"errors": {"tags.0\x1b]0;x\x07": [f"bad tag{OSC8}"]}, "message": HOSTILE}
    client, _ = recruitsome(always(lambda: respond(422, refused)))
    with pytest.raises(APIStatusError) as caught:
        await client.vacancy_facets({"tags": [7]})
    assert caught.value.message == "Recruitsome rejected the filter tags=7 (bad tagclick)."
    assert_clean(caught.value.message, caught.value.details)


def dataclass_strings(exchange: Exchange) -> list[str]:
    return [v for v in vars(exchange).values() if isinstance(v, str)] + list(
        exchange.headers.values()
    )


# ---- 2. an echoed token or key is redacted everywhere ----------------------------------------


async def test_a_token_echoed_in_an_error_is_redacted_everywhere(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    body = {
        "error": f"Token {TOKEN} is not allowed here",
        "code": f"BAD_{TOKEN}",
        "requestId": f"req-{TOKEN}",
        "details": {
            "issues": [{"path": [TOKEN, "x"], "message": f"echo {TOKEN}"}],
            "fieldErrors": {f"k{TOKEN}": [f"m{TOKEN}"]},
            TOKEN: {"token": TOKEN},
        },
    }
    client, recorder = opentrain(always(lambda: respond(400, body)))

    with pytest.raises(BadRequestError) as caught:
        await client.update_draft("job_1", {"jobTitle": "t"})

    err = caught.value
    everything = [
        err.message,
        err.code,
        err.request_id,
        err.details,
        err.field_errors,
        str(err),
        repr(err.args),
        [dataclass_strings(e) for e in recorder.exchanges],
    ]
    assert TOKEN not in json.dumps(everything, ensure_ascii=False)
    assert err.code == f"BAD_{REDACTED}"
    assert REDACTED in err.field_errors
    assert err.field_errors[REDACTED] == f"echo {REDACTED}"
    assert err.details[REDACTED] == {"token": REDACTED}


async def test_a_token_echoed_in_a_200_body_is_redacted(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    reply = draft_reply(warnings=[f"your token is {TOKEN}"])
    reply["validation"]["missingFields"][0]["prompt"] = f"ask: Paste {TOKEN} here"
    reply["normalizedFields"] = {"jobTitle": f"Title {TOKEN}", TOKEN: "key"}
    client, recorder = opentrain(always(lambda: respond(200, reply)))

    draft = await client.update_draft("job_1", {"jobTitle": "x"})

    dumped = json.dumps([draft.model_dump(), dataclass_strings(recorder.exchanges[0])])
    assert TOKEN not in dumped
    assert draft.missing_fields[0].prompt == f"Paste {REDACTED} here"
    assert draft.normalized_fields == {"jobTitle": f"Title {REDACTED}", REDACTED: "key"}


async def test_a_recruitsome_key_echoed_back_is_redacted(
    recruitsome: Callable[..., tuple[RecruitsomeClient, Recorder]],
) -> None:
    facets = {"data": {"departments": [{"id": 1, "name": f"Dept {KEY}", "count": 1}]}}
    client, recorder = recruitsome(always(lambda: respond(200, facets)))
    result = await client.vacancy_facets()
    assert result.data.departments[0].name == f"Dept {REDACTED}"
    assert KEY not in json.dumps(dataclass_strings(recorder.exchanges[0]))

    body = {"message": f"key {KEY} revoked", "code": KEY, "details": {KEY: KEY}}
    client, _ = recruitsome(always(lambda: respond(401, body)))
    with pytest.raises(APIStatusError) as caught:
        await client.vacancy_facets()
    err = caught.value
    assert KEY not in json.dumps([err.message, err.code, err.details])
    assert REDACTED in err.message


# ---- 3. a total deadline per attempt --------------------------------------------------------


class Drip(httpx.AsyncByteStream):
    """A body that arrives one byte every ``gap`` seconds, never finishing in time."""

    def __init__(self, gap: float = 0.2, total: int = 10_000) -> None:
        self.gap = gap
        self.total = total

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"ok": true, "jobId": "job_1", "x": "'
        for _ in range(self.total):
            await asyncio.sleep(self.gap)
            yield b"a"


def dripping(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=Drip())


async def test_a_dripping_reply_is_abandoned_within_deadline_times_attempts(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    client, recorder = opentrain(dripping, timeout=0.5, attempts=3)
    started = time.perf_counter()

    with pytest.raises(APITimeoutError) as caught:
        await client.update_draft("job_1", {"jobTitle": "t"})

    elapsed = time.perf_counter() - started
    assert elapsed < 0.5 * 3 + 0.75
    assert elapsed >= 0.5 * 3 * 0.9  # each attempt really waited its deadline
    assert caught.value.message == "api.example.test did not finish answering within 0.5 s."
    assert len(recorder.exchanges) == 3  # retried like any timeout, up to the cap
    assert len(recorder.delays) == 2
    assert client.retries_made == 2


async def test_the_recruitsome_client_has_the_same_deadline(
    recruitsome: Callable[..., tuple[RecruitsomeClient, Recorder]],
) -> None:
    client, recorder = recruitsome(dripping, timeout=0.3)
    with pytest.raises(APITimeoutError):
        await client.vacancy_facets()
    # Facets are optional, so a dripping Recruitsome gets two attempts, not three.
    assert len(recorder.exchanges) == 2


async def test_a_slow_reply_within_the_deadline_is_read(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    class Slow(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            body = json.dumps(draft_reply()).encode()
            for start in range(0, len(body), len(body) // 3 + 1):
                await asyncio.sleep(0.02)
                yield body[start : start + len(body) // 3 + 1]

    client, recorder = opentrain(lambda _: httpx.Response(200, stream=Slow()), timeout=2.0)
    draft = await client.update_draft("job_1", {"jobTitle": "t"})
    assert draft.job_id == "job_1"
    assert recorder.delays == []


# ---- 4. Retry-After values that make no sense ------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"Retry-After": "nan"}, 0.375, 0.5),  # the normal backoff
        ({"Retry-After": "NaN"}, 0.375, 0.5),
        ({"Retry-After": "-5"}, 0.375, 0.5),
        ({"retry-after-ms": "-1000"}, 0.375, 0.5),
        ({"retry-after-ms": "nan"}, 0.375, 0.5),
        ({"Retry-After": "1e9"}, 30.0, 30.0),  # the cap
        ({"Retry-After": "inf"}, 30.0, 30.0),
        ({"retry-after-ms": "1e300"}, 30.0, 30.0),
        ({"Retry-After": "2"}, 2.0, 2.0),
    ],
)
async def test_retry_after_nonsense_is_clamped(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
    headers: dict[str, str],
    low: float,
    high: float,
) -> None:
    replies = iter([httpx.Response(503, headers=headers), respond(200, draft_reply())])
    client, recorder = opentrain(lambda _: next(replies))
    await client.update_draft("job_1", {"jobTitle": "t"})
    (delay,) = recorder.delays
    assert low <= delay <= high


def test_the_policy_itself_clamps_what_it_is_given() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_retry_after=30.0)
    assert 0.375 <= policy.delay(1, float("nan")) <= 0.5
    assert 0.375 <= policy.delay(1, -5.0) <= 0.5
    assert policy.delay(1, float("inf")) == 30.0
    assert policy.delay(1, 1e9) == 30.0
    assert policy.delay(1, 0.0) == 0.0


# ---- 5. malformed replies end in one sentence ------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (DEEP, "nested more than"),
        (b'{"jobId": ' + b"[" * 100 + b"]" * 100 + b"}", "nested more than"),
        (b"\x00\x01\x02\xff\xfe binary", "not"),
        (b'{"jobId": "job_1", "x": "\xc3\x28"}', "not valid UTF-8"),
        (b"<html>\x1b[2Jmaintenance</html>", "not JSON"),
        (b'{"jobId": ' + b"1" * 5000 + b"}", "not JSON"),
    ],
)
async def test_a_malformed_200_is_one_sentence(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]], body: bytes, words: str
) -> None:
    client, recorder = opentrain(always(lambda: httpx.Response(200, content=body)))
    with pytest.raises(ResponseShapeError) as caught:
        await client.update_draft("job_1", {"jobTitle": "t"})
    message = caught.value.message
    assert words in message and message.startswith("api.example.test sent ")
    assert message.endswith("(HTTP 200).") and "\n" not in message
    assert caught.value.status_code == 200
    assert_clean(dataclass_strings(recorder.exchanges[0]))


@pytest.mark.parametrize("body", [DEEP, b"\xff\xfe\xfd", b'{"error": "\xc3\x28"}'])
async def test_a_malformed_error_body_gives_the_default_sentence(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]], body: bytes
) -> None:
    client, recorder = opentrain(always(lambda: httpx.Response(500, content=body)))
    with pytest.raises(ServerError) as caught:
        await client.update_draft("job_1", {"jobTitle": "t"})
    assert caught.value.message == "The server failed (HTTP 500)."
    assert len(recorder.exchanges) == 1


async def test_a_deep_recruitsome_reply_is_one_sentence(
    recruitsome: Callable[..., tuple[RecruitsomeClient, Recorder]],
) -> None:
    client, _ = recruitsome(always(lambda: httpx.Response(200, content=DEEP)))
    with pytest.raises(ResponseShapeError) as caught:
        await client.vacancy_facets()
    assert "nested more than" in caught.value.message
    assert "RECRUITSOME_BASE_URL" in caught.value.message


async def test_a_reply_larger_than_the_cap_is_not_read(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    class Endless(httpx.AsyncByteStream):
        chunks = 0

        async def __aiter__(self) -> AsyncIterator[bytes]:
            while True:
                Endless.chunks += 1
                yield b" " * 1024

    client, recorder = opentrain(lambda _: httpx.Response(200, stream=Endless()))
    client.max_reply_bytes = 64 * 1024
    with pytest.raises(ResponseShapeError) as caught:
        await client.update_draft("job_1", {"jobTitle": "t"})
    assert caught.value.message == (
        "api.example.test sent a reply larger than 64 KB; it was not read."
    )
    assert Endless.chunks <= 65  # reading stopped at the cap
    assert len(recorder.exchanges) == 1  # and was not retried


async def test_the_default_cap_leaves_room_for_real_replies(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    big = draft_reply(warnings=["w" * 1000] * 1000)  # about a megabyte
    client, _ = opentrain(always(lambda: respond(200, big)))
    draft = await client.update_draft("job_1", {"jobTitle": "t"})
    assert len(draft.warnings) == 1000


# ---- 8. a reply about another draft ----------------------------------------------------------


@pytest.mark.parametrize(
    ("answered", "named"),
    [("job_2", "(it named 'job_2')"), ("", "(it named none)"), ("   ", "(it named none)")],
)
async def test_a_patch_reply_for_another_draft_is_refused(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]], answered: str, named: str
) -> None:
    client, _ = opentrain(always(lambda: respond(200, draft_reply(answered))))
    with pytest.raises(ResponseShapeError) as caught:
        await client.update_draft("job_1", {"jobTitle": "t"})
    assert caught.value.message == (
        f"The server answered for another draft {named}, so its reply was not used."
    )


async def test_a_publish_reply_for_another_job_is_refused(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    reply = {"ok": True, "jobId": "job_9", "status": "OPEN"}
    client, _ = opentrain(always(lambda: respond(200, reply)))
    with pytest.raises(ResponseShapeError) as caught:
        await client.publish("job_1")
    assert "another draft (it named 'job_9')" in caught.value.message


async def test_a_matching_job_id_is_accepted_in_any_documented_form(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    client, _ = opentrain(always(lambda: respond(200, draft_reply(123))))  # type: ignore[arg-type]
    draft = await client.update_draft("123", {"jobTitle": "t"})
    assert draft.job_id == "123"


async def test_an_absent_job_id_stays_a_shape_error(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    reply = draft_reply()
    del reply["jobId"]
    client, _ = opentrain(always(lambda: respond(200, reply)))
    with pytest.raises(ResponseShapeError):
        await client.update_draft("job_1", {"jobTitle": "t"})


async def test_a_created_draft_without_an_id_is_refused(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    client, _ = opentrain(always(lambda: respond(201, draft_reply(""))))
    with pytest.raises(ResponseShapeError) as caught:
        await client.create_draft("A job")
    assert "without an id" in caught.value.message


# ---- 7. a token with whitespace around it ----------------------------------------------------


async def test_a_token_with_a_trailing_newline_is_sent_stripped(
    opentrain: Callable[..., tuple[OpenTrainClient, Recorder]],
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return respond(200, draft_reply())

    client, _ = opentrain(handler, token=f"  {TOKEN}\n")
    await client.update_draft("job_1", {"jobTitle": "t"})
    assert seen == [f"Bearer {TOKEN}"]


def test_every_typed_error_here_is_a_wizard_error() -> None:
    # What callers catch: everything above is one WizardAPIError with one sentence.
    for cls in (ResponseShapeError, APITimeoutError, ServerError, BadRequestError):
        assert issubclass(cls, WizardAPIError)
