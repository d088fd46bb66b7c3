"""Property-based fuzzing of the shape-tolerant parsing, from raw JSON to form questions.

What a real server could plausibly send (any key missing, nulls anywhere, numbers where
strings belong and back, unknown types, huge enums, markup, nested junk) must parse, plan
and coerce without raising. The only accepted failure is the models' ``ShapeError``
for a reply that is not an object or has no usable ``jobId``: such a reply cannot be a
draft, and the client turns it into ``ResponseShapeError``.

``WIZARD_FUZZ_PROFILE=fuzz-long`` runs ten times as many examples.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wizard.api.errors import (
    APIStatusError,
    DailyLimitError,
    ModerationBlockedError,
    PublishNotReadyError,
    error_from_response,
)
from wizard.api.opentrain.models import Capabilities, DraftResponse, MissingField, Validation
from wizard.api.record import ShapeError
from wizard.api.sanitize import UnreadableReply, clean_text, decode_json
from wizard.core.fields import AnswerError, build_issue_spec, build_spec
from wizard.core.keys import _TYPE_SPELLINGS, Kind, kind_for_key, kind_from_type
from wizard.core.options import OptionCatalog
from wizard.core.session import AnswersInvalid, DraftSession

pytestmark = pytest.mark.slow

settings.register_profile(
    "fuzz",
    max_examples=300,
    deadline=None,  # speed is not the point here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz-long", parent=settings.get_profile("fuzz"), max_examples=3000)
FUZZ = settings.get_profile(os.environ.get("WIZARD_FUZZ_PROFILE", "fuzz"))

CATALOG = OptionCatalog.reference()
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# ---- strategies ------------------------------------------------------------------------------

MARKUP = st.sampled_from(
    [
        "[bold]",
        "[/]",
        "[/bold]",
        "[red]x[/red]",
        "[@click=app.quit]go[/]",
        "[link=https://x]y[/link]",
        "\\[escaped]",
        "ask: ",
        "ASK :",
        "...",
        "",
        " ",
        "\x00",
        "\n\t",
        "🦄",
        "‮rtl",
    ]
)
LONG_TEXT = st.integers(min_value=0, max_value=50_000).map(lambda n: "x[b]" * (n // 4))
TEXT = st.one_of(st.text(max_size=40), MARKUP, LONG_TEXT)
KNOWN_KEYS = st.sampled_from(
    [
        "jobTitle",
        "jobDescription",
        "paymentType",
        "pricePerHour",
        "pricePerLabel",
        "fixedPrice",
        "experienceLevel",
        "dataVolume",
        "dataVolumeUnit",
        "languages",
        "countries",
        "labelTypes",
        "headcount",
        "visibility",
        "freelancerType",
        "labelingOverview",
        "fooDescription",
    ]
)
KEY = st.one_of(KNOWN_KEYS, st.from_regex(IDENTIFIER, fullmatch=True).filter(lambda s: len(s) < 40))
TYPE = st.one_of(
    st.sampled_from(sorted(_TYPE_SPELLINGS)), st.sampled_from(["ENUM", " Number "]), TEXT
)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JUNK = st.recursive(
    SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=15,
)
HUGE_ENUM = st.integers(min_value=0, max_value=2_000).map(lambda n: [f"OPT_{i}" for i in range(n)])
ENUM_VALUES = st.one_of(
    st.none(),
    HUGE_ENUM,
    st.lists(
        st.sampled_from(["PUBLIC", "PRIVATE", "public", "[b]", {"value": "PUBLIC"}]), max_size=6
    ),
    st.lists(st.one_of(TEXT, SCALAR), max_size=8),
    JUNK,
)
# A small alphabet makes repeated keys and compound questions (several keys) common.
FEW_KEYS = st.sampled_from(["paymentType", "pricePerHour", "dataVolume", "dataVolumeUnit", "..."])
UPDATE_KEYS = st.one_of(
    st.lists(FEW_KEYS, max_size=4),
    st.lists(st.one_of(KEY, st.just("..."), TEXT, SCALAR), max_size=5),
    KEY,
    JUNK,
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, JUNK)


MISSING_OBJECT = st.fixed_dictionaries(
    {},
    optional={
        "field": st.one_of(KEY, TEXT, SCALAR),
        "key": st.one_of(KEY, SCALAR),
        "name": st.one_of(KEY, SCALAR),
        "label": _maybe(TEXT),
        "message": _maybe(TEXT),
        "code": _maybe(st.sampled_from(["missing_required_field", "MISSING_EXPERIENCE_LEVEL"])),
        "prompt": _maybe(st.one_of(TEXT, TEXT.map(lambda t: "ask: " + t))),
        "type": _maybe(TYPE),
        "enumValues": ENUM_VALUES,
        "updateKeys": UPDATE_KEYS,
        "example": _maybe(st.one_of(TEXT, st.floats(), st.integers())),
        "hint": _maybe(st.one_of(TEXT, st.just("Must be at least 5, from 1 to 500."))),
        "extra": JUNK,
    },
)
MISSING_ITEM = st.one_of(KEY, TEXT, MISSING_OBJECT, SCALAR, JUNK)
MISSING_LIST = st.one_of(st.lists(MISSING_ITEM, max_size=8), JUNK)
ISSUE = st.one_of(
    TEXT,
    SCALAR,
    st.fixed_dictionaries(
        {},
        optional={
            "message": _maybe(TEXT),
            "code": _maybe(TEXT),
            "field": _maybe(KEY),
            "path": st.one_of(st.lists(st.one_of(KEY, st.integers()), max_size=3), KEY, JUNK),
        },
    ),
)
VALIDATION = st.fixed_dictionaries(
    {},
    optional={
        "publishReady": _maybe(st.booleans()),
        "issueCount": _maybe(st.integers(min_value=0, max_value=5)),
        "missingFieldCount": _maybe(st.integers(min_value=0, max_value=5)),
        "missingFields": MISSING_LIST,
        "issues": st.one_of(st.lists(ISSUE, max_size=4), JUNK),
        "futureThing": JUNK,
    },
)
JOB_ID = st.one_of(st.text(min_size=1, max_size=30), st.integers(min_value=0))
DRAFT = st.fixed_dictionaries(
    {"jobId": JOB_ID},
    optional={
        "ok": _maybe(st.booleans()),
        "status": _maybe(st.sampled_from(["DRAFT", "OPEN"])),
        "draftUrl": _maybe(TEXT),
        "reviewUrl": _maybe(TEXT),
        "validation": _maybe(VALIDATION),
        "missingFields": MISSING_LIST,
        "normalizedFields": _maybe(st.dictionaries(KEY, JUNK, max_size=5)),
        "warnings": _maybe(st.lists(st.one_of(TEXT, JUNK), max_size=4)),
        "unmappedFields": _maybe(
            st.lists(
                st.one_of(
                    JUNK,
                    st.fixed_dictionaries(
                        {}, optional={"path": JUNK, "reason": JUNK, "valuePreview": JUNK}
                    ),
                ),
                max_size=4,
            )
        ),
        "lowConfidenceFields": _maybe(st.lists(st.one_of(KEY, JUNK), max_size=4)),
        "somethingNew": JUNK,
    },
)
CAPABILITIES = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "featureKey": _maybe(TEXT),
            "capabilities": _maybe(st.dictionaries(st.text(max_size=10), JUNK, max_size=4)),
            "enabled": JUNK,
            "draft": _maybe(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "importFormats": _maybe(st.lists(TEXT, max_size=3)),
                        "updateKeys": _maybe(st.lists(st.one_of(KEY, TEXT), max_size=6)),
                        "enums": _maybe(st.dictionaries(KEY, ENUM_VALUES, max_size=4)),
                    },
                )
            ),
        },
    ),
)


# ---- properties ------------------------------------------------------------------------------


def _primary_kind_ok(missing: MissingField, kind: Kind) -> bool:
    """UNKNOWN only for a type spelling we do not know, on a key we know nothing of."""
    if kind is not Kind.UNKNOWN:
        return True
    return bool(missing.type) and (missing.type or "").strip().lower() not in _TYPE_SPELLINGS


def _names_sent(payload: dict[str, Any]) -> set[str]:
    """Field names a reply plainly lists: bare names, and objects with a string ``field``."""
    validation = payload.get("validation")
    sources = [payload.get("missingFields")]
    if isinstance(validation, dict):
        sources.append(validation.get("missingFields"))
    names: set[str] = set()
    for source in sources:
        for item in source if isinstance(source, list) else []:
            if isinstance(item, dict):
                item = item.get("field")
            if isinstance(item, str) and item.strip():
                names.add(item.strip())
    return names


def _check_session(session: DraftSession) -> None:
    fields = [spec.field for spec in session.specs]
    assert len(fields) == len(set(fields)), fields
    assert session.remaining == len(session.specs)
    for spec in session.specs:
        assert spec.parts
        assert len(spec.keys) == len(set(spec.keys)), spec.keys
        assert isinstance(spec.prompt, str)
        assert isinstance(spec.label, str)
        for part in spec.parts:
            values = [option.value for option in part.options]
            assert len(values) == len(set(values)), part.key  # a Select needs unique values


@FUZZ
@given(payload=DRAFT, caps=CAPABILITIES)
# Found by the fuzz-long profile: a nameless entry whose only update key is blank.
@example(payload={"jobId": "0", "missingFields": [{"updateKeys": [""]}]}, caps=None)
def test_draft_replies_parse_plan_and_apply(payload: dict[str, Any], caps: Any) -> None:
    capabilities = Capabilities.model_validate(caps) if caps is not None else None
    response = DraftResponse.model_validate(payload)
    assert response.job_id == str(payload["jobId"])
    # Nothing the server listed is lost, wherever and however it listed it.
    assert _names_sent(payload) <= {m.field for m in response.missing_fields}

    seen: set[str] = set()
    for missing in response.missing_fields:
        assert missing.field and missing.field not in seen
        seen.add(missing.field)
        assert missing.update_keys
        assert all(IDENTIFIER.match(key) for key in missing.update_keys if key != missing.field)
        spec = build_spec(missing, capabilities=capabilities, catalog=CATALOG)
        primary = missing.field if missing.field in spec.keys else spec.keys[0]
        for part in spec.parts:
            assert isinstance(part.kind, Kind)
            if part.key == primary:
                assert _primary_kind_ok(missing, part.kind)
                caps_enum = capabilities.draft.enums.for_key(part.key) if capabilities else []
                if (
                    missing.type
                    and kind_from_type(missing.type) is None
                    and not missing.enum_values
                    and not caps_enum
                    and kind_for_key(part.key) is None
                ):
                    # A new type on a key we know nothing of: asked as text, type shown.
                    assert part.kind is Kind.UNKNOWN
            else:
                assert part.kind is not Kind.UNKNOWN  # secondary keys carry no type
            if part.kind is Kind.SELECT:
                assert part.options
        if spec.kind is Kind.UNKNOWN:
            assert missing.type is not None and spec.hint and missing.type in spec.hint

    for issue in response.validation.issues:
        assert isinstance(issue.message, str)
        build_issue_spec(issue, capabilities=capabilities, catalog=CATALOG)

    session = DraftSession(job_id="seed", capabilities=capabilities, catalog=CATALOG)
    first = session.apply(response)
    assert first.added == []
    _check_session(session)


@FUZZ
@given(first=DRAFT, second=DRAFT, sent=st.dictionaries(KEY, JUNK, max_size=4))
def test_two_rounds_diff_without_raising(
    first: dict[str, Any], second: dict[str, Any], sent: dict[str, Any]
) -> None:
    session = DraftSession(job_id="seed", catalog=CATALOG)
    session.apply(DraftResponse.model_validate(first))
    before = {spec.field for spec in session.specs}
    diff = session.apply(DraftResponse.model_validate(second), sent=sent)
    after = {spec.field for spec in session.specs}

    assert set(diff.added) == after - before
    assert set(diff.resolved) == before - after
    assert diff.remaining == len(session.specs)
    for spec in session.specs:
        assert spec.is_new == (spec.field in diff.added)
        if spec.is_new:
            assert spec.reason
    _check_session(session)


@FUZZ
@given(payload=DRAFT, answers=st.dictionaries(st.one_of(KEY, TEXT), JUNK, max_size=6))
def test_any_answer_is_coerced_or_refused_in_one_sentence(
    payload: dict[str, Any], answers: dict[str, Any]
) -> None:
    session = DraftSession(job_id="seed", catalog=CATALOG)
    session.apply(DraftResponse.model_validate(payload))
    for spec in session.specs:
        for part in spec.parts:
            for raw in answers.values():
                try:
                    part.coerce(raw)
                except AnswerError as err:
                    assert str(err) and "\n" not in str(err)
    try:
        body = session.build_patch(answers)
    except AnswersInvalid as err:
        assert set(err.errors) <= set(answers)
        assert all(err.errors.values())
    else:
        json.dumps(body)  # whatever is sent is JSON


@FUZZ
@given(payload=st.one_of(VALIDATION, JUNK))
def test_validation_parses_any_object(payload: Any) -> None:
    if not isinstance(payload, dict):
        with pytest.raises(ShapeError):
            Validation.model_validate(payload)
        return
    validation = Validation.model_validate(payload)
    assert isinstance(validation.ready, bool)
    assert len({m.field for m in validation.missing_fields}) == len(validation.missing_fields)
    for missing in validation.missing_fields:
        build_spec(missing, catalog=CATALOG)


@FUZZ
@given(payload=st.one_of(JUNK, DRAFT.map(lambda d: {**d, "jobId": None}), DRAFT))
def test_only_non_objects_and_bad_job_ids_are_rejected(payload: Any) -> None:
    job_id = payload.get("jobId") if isinstance(payload, dict) else None
    acceptable = isinstance(payload, dict) and (isinstance(job_id, str | int))
    if acceptable:
        DraftResponse.model_validate(payload)
    else:
        with pytest.raises(ShapeError):
            DraftResponse.model_validate(payload)


@FUZZ
@given(
    payload=st.one_of(
        CAPABILITIES.filter(lambda c: c is not None), st.dictionaries(st.text(max_size=8), JUNK)
    )
)
def test_capabilities_parse_any_object(payload: dict[str, Any]) -> None:
    caps = Capabilities.model_validate(payload)
    for key in ("paymentType", "visibility", "anything"):
        values = caps.draft.enums.for_key(key)
        assert all(isinstance(v, str) for v in values)
    assert all(IDENTIFIER.match(k) for k in caps.draft.update_keys)


HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
ERROR_BODY = st.one_of(
    st.binary(max_size=300),
    JUNK.map(lambda j: json.dumps(j).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "error": st.one_of(
                TEXT,
                JUNK,
                st.fixed_dictionaries(
                    {}, optional={"code": JUNK, "message": JUNK, "details": JUNK}
                ),
            ),
            "error_description": JUNK,
            "code": JUNK,
            "message": JUNK,
            "requestId": JUNK,
            "errors": JUNK,
            "details": st.one_of(
                JUNK,
                st.fixed_dictionaries(
                    {},
                    optional={
                        "reason": st.one_of(st.just("moderation_blocked"), JUNK),
                        "reasons": JUNK,
                        "validation": st.one_of(VALIDATION, JUNK),
                        "windowHours": JUNK,
                        "limit": JUNK,
                        "issues": st.one_of(st.lists(ISSUE, max_size=4), JUNK),
                        "zod": JUNK,
                        "fieldErrors": JUNK,
                    },
                ),
            ),
        },
    ).map(lambda d: json.dumps(d).encode()),
)


@FUZZ
@given(
    status=st.integers(min_value=400, max_value=599),
    body=ERROR_BODY,
    headers=st.dictionaries(
        st.sampled_from(["retry-after", "retry-after-ms", "x-request-id", "content-type"]),
        st.one_of(
            HEADER_TEXT,
            st.sampled_from(
                [
                    "Wed, 21 Oct 2015 07:28:00 GMT",
                    "Wed, 21 Oct 2015 07:28:00 -0000",
                    "Wed, 21 Oct 2099 07:28:00 +0200",
                    "Mon, 99 Foo 2015 99:99:99 GMT",
                    "1e400",
                    "nan",
                    "-inf",
                ]
            ),
        ),
    ),
    publishing=st.booleans(),
)
def test_error_from_response_never_raises(
    status: int, body: bytes, headers: dict[str, str], publishing: bool
) -> None:
    err = error_from_response(
        httpx.Response(status, content=body, headers=headers), publishing=publishing
    )

    assert isinstance(err, APIStatusError)
    assert err.status_code == status
    assert isinstance(err.message, str) and err.message
    assert isinstance(err.field_errors, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in err.field_errors.items())
    assert err.retry_after is None or err.retry_after >= 0
    for text in (err.message, err.code or "", err.request_id or "", *err.field_errors):
        assert not UNSAFE.search(text), repr(text)
    if isinstance(err, PublishNotReadyError):
        assert isinstance(err.validation, Validation)
    if isinstance(err, ModerationBlockedError):
        assert all(isinstance(r, str) for r in err.reasons)
    if isinstance(err, DailyLimitError):
        assert err.limit is None or isinstance(err.limit, int)


# ---- the sanitising boundary ------------------------------------------------------------------

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
SECRET = "ot_pat_fuzz_0123456789abcdef"


@FUZZ
@given(text=st.text())
def test_clean_text_leaves_nothing_unsafe(text: str) -> None:
    cleaned = clean_text(text)
    assert not UNSAFE.search(cleaned)
    cleaned.encode("utf-8")
    assert clean_text(cleaned) == cleaned


@FUZZ
@given(body=st.one_of(st.binary(max_size=200), ERROR_BODY))
def test_decode_json_reads_or_gives_one_reason(body: bytes) -> None:
    try:
        decode_json(body)
    except UnreadableReply as err:
        assert err.reason and "\n" not in err.reason


JSON_TREE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.just(SECRET)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(), st.just(SECRET)), children, max_size=4),
    ),
    max_leaves=20,
)


@FUZZ
@given(tree=JSON_TREE, prefix=st.text(max_size=3), suffix=st.text(max_size=3))
def test_a_secret_never_survives_decoding(tree: Any, prefix: str, suffix: str) -> None:
    document = json.dumps({f"{prefix}{SECRET}{suffix}": tree, "m": prefix + SECRET + suffix})
    decoded = decode_json(document, [SECRET])
    dumped = json.dumps(decoded, ensure_ascii=False)
    assert SECRET not in dumped  # (an escape sequence may swallow the marker too)
    assert not UNSAFE.search(dumped.encode("utf-8").decode("utf-8"))


def test_the_unknown_kind_is_reachable() -> None:
    # Guard against a vacuous fuzz: a new type on a new key really is UNKNOWN.
    missing = MissingField.model_validate({"field": "zzNew", "type": "hologram"})
    assert kind_for_key("zzNew") is None
    assert build_spec(missing).kind is Kind.UNKNOWN
