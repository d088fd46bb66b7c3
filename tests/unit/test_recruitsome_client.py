"""The Recruitsome facets client over an injected ``httpx.MockTransport``: no sockets, no sleeps."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.api.errors import (
    APIConnectionError,
    AuthenticationError,
    InsecureURLError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseShapeError,
    ServerError,
)
from wizard.api.recruitsome.client import RECRUITSOME_ROOT, RecruitsomeClient
from wizard.api.recruitsome.errors import (
    InsufficientScopeError,
    InvalidFilterError,
    TenantDisabledError,
)
from wizard.api.recruitsome.filters import (
    ARRAY_FILTERS,
    encode_filters,
    filter_base_name,
    filters_cache_key,
)
from wizard.api.recruitsome.models import VacancyFacets
from wizard.api.retry import RetryPolicy
from wizard.api.transport import Exchange

KEY = "rs_live_9c1f0e_tenantSECRETkey_77aa"
ORIGIN = "https://rs.example.test"

Handler = Callable[[httpx.Request], httpx.Response]

# The response example of the public facets page, verbatim in structure and values.
DOCS_EXAMPLE: dict[str, Any] = {
    "data": {
        "locations": [
            {
                "id": 1,
                "name": "Amsterdam",
                "city": "Amsterdam",
                "country_code": "NL",
                "country_name": "Netherlands",
                "count": 45,
                "selected": False,
            },
            {
                "id": 2,
                "name": "Rotterdam",
                "city": "Rotterdam",
                "country_code": "NL",
                "country_name": "Netherlands",
                "count": 23,
                "selected": False,
            },
            {
                "id": 3,
                "name": "Utrecht",
                "city": "Utrecht",
                "country_code": "NL",
                "country_name": "Netherlands",
                "count": 18,
                "selected": False,
            },
        ],
        "company_locations": [
            {
                "id": 10,
                "name": "Shell Pernis Refinery",
                "city": "Rotterdam",
                "country_code": "NL",
                "country_name": "Netherlands",
                "count": 12,
                "selected": False,
            },
            {
                "id": 11,
                "name": "ASML Veldhoven HQ",
                "city": "Veldhoven",
                "country_code": "NL",
                "country_name": "Netherlands",
                "count": 8,
                "selected": False,
            },
        ],
        "departments": [
            {"id": 5, "name": "Engineering", "count": 32, "selected": False},
            {"id": 6, "name": "Sales", "count": 21, "selected": False},
            {"id": 7, "name": "Marketing", "count": 15, "selected": False},
        ],
        "experience_levels": [
            {"id": 2, "name": "Junior", "count": 20, "selected": False},
            {"id": 3, "name": "Medior", "count": 35, "selected": False},
            {"id": 4, "name": "Senior", "count": 28, "selected": False},
        ],
        "job_types": [
            {"id": 1, "name": "Full-time", "count": 68, "selected": False},
            {"id": 2, "name": "Part-time", "count": 12, "selected": False},
            {"id": 3, "name": "Contract", "count": 8, "selected": False},
        ],
        "education_levels": [
            {"id": 8, "name": "Bachelor", "count": 45, "selected": False},
            {"id": 9, "name": "Master", "count": 28, "selected": False},
        ],
        "tags": [
            {
                "id": 1,
                "name": "Engineering",
                "count": 42,
                "selected": False,
                "sub_tags": [
                    {"id": 5, "name": "Software Engineer", "count": 25, "selected": False},
                    {"id": 6, "name": "DevOps Engineer", "count": 12, "selected": False},
                ],
            },
            {
                "id": 2,
                "name": "Sales",
                "count": 28,
                "selected": False,
                "sub_tags": [
                    {"id": 10, "name": "Account Executive", "count": 15, "selected": False}
                ],
            },
        ],
        "languages": [
            {"code": "en", "name": "English", "count": 52, "selected": False},
            {"code": "nl", "name": "Nederlands", "count": 34, "selected": False},
        ],
    },
    "meta": {"generated_at": "2024-01-20T10:30:00Z", "filters_applied": []},
}


class Recorder:
    """A MockTransport handler that records requests and answers from a script."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def ok(body: Any = None) -> httpx.Response:
    return httpx.Response(200, json=DOCS_EXAMPLE if body is None else body)


def make(
    handler: Handler,
    *,
    key: str | None = KEY,
    observer: Callable[[Exchange], None] | None = None,
    base: str = ORIGIN,
) -> tuple[RecruitsomeClient, list[float]]:
    waits: list[float] = []

    async def sleeper(seconds: float) -> None:
        waits.append(seconds)

    client = RecruitsomeClient(
        base,
        key,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        retry=RetryPolicy(sleeper=sleeper),
        observer=observer,
    )
    return client, waits


# ---- the happy path ---------------------------------------------------------------------


async def test_docs_example_parses_into_every_group() -> None:
    client, _ = make(Recorder(ok()))
    facets = await client.vacancy_facets()

    data = facets.data
    assert [loc.name for loc in data.locations] == ["Amsterdam", "Rotterdam", "Utrecht"]
    amsterdam = data.locations[0]
    assert (amsterdam.id, amsterdam.city, amsterdam.country_code) == (1, "Amsterdam", "NL")
    assert amsterdam.country_name == "Netherlands"
    assert amsterdam.count == 45 and amsterdam.selected is False
    assert amsterdam.place == "Amsterdam, Netherlands"
    assert [site.name for site in data.company_locations] == [
        "Shell Pernis Refinery",
        "ASML Veldhoven HQ",
    ]
    assert data.company_locations[1].city == "Veldhoven"
    assert [(d.id, d.name, d.count) for d in data.departments] == [
        (5, "Engineering", 32),
        (6, "Sales", 21),
        (7, "Marketing", 15),
    ]
    assert [e.name for e in data.experience_levels] == ["Junior", "Medior", "Senior"]
    assert [j.count for j in data.job_types] == [68, 12, 8]
    assert [e.id for e in data.education_levels] == [8, 9]
    engineering = data.tags[0]
    assert (engineering.name, engineering.count) == ("Engineering", 42)
    assert [(s.id, s.name, s.count) for s in engineering.sub_tags] == [
        (5, "Software Engineer", 25),
        (6, "DevOps Engineer", 12),
    ]
    assert data.tags[1].sub_tags[0].name == "Account Executive"
    assert [(lang.code, lang.name, lang.count) for lang in data.languages] == [
        ("en", "English", 52),
        ("nl", "Nederlands", 34),
    ]
    assert facets.meta.generated_at == "2024-01-20T10:30:00Z"
    assert facets.meta.filters_applied == []
    assert facets.meta.filter_names == []


async def test_document_keeps_the_documented_structure() -> None:
    client, _ = make(Recorder(ok()))
    facets = await client.vacancy_facets()
    assert facets.to_document() == DOCS_EXAMPLE


async def test_request_carries_bearer_key_and_accept_on_the_documented_path() -> None:
    recorder = Recorder(ok())
    client, _ = make(recorder)
    await client.vacancy_facets()
    (request,) = recorder.requests
    assert request.method == "GET"
    assert str(request.url) == "https://rs.example.test/api/v1/vacancies/facets"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["accept"] == "application/json"


@pytest.mark.parametrize(
    "base",
    [ORIGIN, ORIGIN + "/", ORIGIN + "/api/v1", ORIGIN + "/api/v1/"],
)
async def test_origin_or_full_base_both_work(base: str) -> None:
    recorder = Recorder(ok())
    client, _ = make(recorder, base=base)
    await client.vacancy_facets()
    assert recorder.requests[0].url.path == "/api/v1/vacancies/facets"


async def test_array_filters_go_out_as_repeated_bracket_names() -> None:
    recorder = Recorder(ok())
    client, _ = make(recorder)
    await client.vacancy_facets(
        {
            "location_id": [1, 2],
            "language": "en",
            "tags[]": "5",
            "search": "data & ops",
            "department_id": 7,
            "job_types": [],
            "education_levels": None,
        }
    )
    raw = recorder.requests[0].url.query.decode()
    assert raw == (
        "location_id[]=1&location_id[]=2&language=en&tags[]=5&search=data%20%26%20ops"
        "&department_id[]=7"
    )
    assert parse_qsl(raw) == [
        ("location_id[]", "1"),
        ("location_id[]", "2"),
        ("language", "en"),
        ("tags[]", "5"),
        ("search", "data & ops"),
        ("department_id[]", "7"),
    ]


async def test_every_documented_array_filter_uses_brackets() -> None:
    recorder = Recorder(ok())
    client, _ = make(recorder)
    await client.vacancy_facets({name: [3] for name in ARRAY_FILTERS})
    pairs = parse_qsl(recorder.requests[0].url.query.decode())
    assert pairs == [(f"{name}[]", "3") for name in ARRAY_FILTERS]


async def test_no_filters_no_query() -> None:
    recorder = Recorder(ok())
    client, _ = make(recorder)
    await client.vacancy_facets({"language": "", "tags": []})
    assert recorder.requests[0].url.query == b""


@given(
    st.dictionaries(
        st.sampled_from(ARRAY_FILTERS),
        st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=4, unique=True),
        max_size=len(ARRAY_FILTERS),
    ),
    st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""),
)
def test_encoding_round_trips_through_a_standard_query_parser(
    arrays: dict[str, list[int]], search: str
) -> None:
    query = encode_filters({**arrays, "search": search})
    decoded = parse_qsl(query, keep_blank_values=True)
    expected = [(f"{name}[]", str(v)) for name, values in arrays.items() for v in values]
    assert decoded == [*expected, ("search", search.strip())]


def test_filters_cache_key_ignores_order_and_suffixes() -> None:
    one = filters_cache_key({"tags": [2, 1], "language": "en"})
    other = filters_cache_key({"language": "en", "tags[]": ["1", "2"]})
    assert one == other
    assert filters_cache_key({"tags": [1]}) != filters_cache_key({"tags": [2]})
    assert filters_cache_key(None) == filters_cache_key({}) == filters_cache_key({"tags": []})


@pytest.mark.parametrize(
    ("raw", "base"),
    [("tags[]", "tags"), ("location_id.0", "location_id"), ("tags[3]", "tags"), ("x", "x")],
)
def test_filter_base_name(raw: str, base: str) -> None:
    assert filter_base_name(raw) == base


# ---- tolerance ------------------------------------------------------------------------------


def test_php_shapes_are_tolerated() -> None:
    body = {
        "data": {
            # A PHP array with gaps serialises as an object keyed by id.
            "locations": {
                "4": {
                    "id": "4",
                    "name": "Remote",
                    "city": None,
                    "country_code": "",
                    "country_name": None,
                    "count": "7",
                    "selected": None,
                }
            },
            "company_locations": None,
            "departments": [{"id": 5, "name": "Engineering", "count": None}, "junk", None],
            "tags": [{"id": 1, "name": "Engineering", "count": 3, "sub_tags": None}],
            "languages": [{"code": "NL", "name": "Nederlands", "count": 3.0}],
        },
        "meta": {
            "generated_at": None,
            "filters_applied": {"language": "nl", "location_id": [4]},
        },
    }
    facets = VacancyFacets.model_validate(body)
    (remote,) = facets.data.locations
    assert (remote.id, remote.count, remote.selected) == (4, 7, False)
    assert remote.country_code is None and remote.place == ""
    assert facets.data.company_locations == []
    assert [(d.name, d.count) for d in facets.data.departments] == [("Engineering", 0)]
    assert facets.data.tags[0].sub_tags == []
    assert facets.data.languages[0].code == "nl"
    assert facets.data.languages[0].count == 3
    assert facets.data.job_types == []
    assert facets.meta.filter_names == ["language", "location_id"]


def test_groups_without_the_data_envelope_and_without_meta() -> None:
    facets = VacancyFacets.model_validate({"departments": [{"id": 1, "name": "Ops", "count": 2}]})
    assert facets.data.departments[0].name == "Ops"
    assert facets.meta.filters_applied == []


@pytest.mark.parametrize(
    ("applied", "names"),
    [
        (["location_id", "language"], ["location_id", "language"]),
        (["location_id[]=1", "tags[]=5", "tags[]=6"], ["location_id", "tags"]),
        ([{"key": "language", "value": "en"}], ["language"]),
        ({"tags": [1]}, ["tags"]),
        (None, []),
    ],
)
def test_filters_applied_names_from_any_form(applied: Any, names: list[str]) -> None:
    facets = VacancyFacets.model_validate({"data": {}, "meta": {"filters_applied": applied}})
    assert facets.meta.filter_names == names


async def test_selected_flags_and_applied_filters_are_read() -> None:
    body = copy.deepcopy(DOCS_EXAMPLE)
    body["data"]["locations"][0]["selected"] = True
    body["data"]["tags"][0]["sub_tags"][1]["selected"] = True
    body["meta"]["filters_applied"] = ["location_id", "tags"]
    client, _ = make(Recorder(ok(body)))
    facets = await client.vacancy_facets({"location_id": [1], "tags": [6]})
    assert [loc.selected for loc in facets.data.locations] == [True, False, False]
    assert facets.data.tags[0].sub_tags[1].selected is True
    assert facets.meta.filter_names == ["location_id", "tags"]


async def test_html_instead_of_json_is_a_shape_error_naming_the_setting() -> None:
    client, _ = make(Recorder(httpx.Response(200, text="<html>login</html>")))
    with pytest.raises(ResponseShapeError) as caught:
        await client.vacancy_facets()
    assert "RECRUITSOME_BASE_URL" in caught.value.message


async def test_json_of_the_wrong_shape_is_a_shape_error() -> None:
    client, _ = make(Recorder(ok([1, 2, 3])))
    with pytest.raises(ResponseShapeError):
        await client.vacancy_facets()
    client, _ = make(Recorder(ok({"data": {"tags": [{"id": 1, "count": "many"}]}})))
    with pytest.raises(ResponseShapeError):
        await client.vacancy_facets()


# ---- errors ---------------------------------------------------------------------------------


def one_sentence(message: str) -> bool:
    return message.endswith(".") and ". " not in message and "\n" not in message


async def error_for(
    response: httpx.Response, *, filters: dict[str, Any] | None = None, key: str | None = KEY
) -> Exception:
    client, _ = make(Recorder(response), key=key)
    with pytest.raises(Exception) as caught:
        await client.vacancy_facets(filters)
    return caught.value


@pytest.mark.parametrize("server", ["Unauthenticated.", "Invalid authentication credentials."])
async def test_401_names_the_setting_and_the_server_reason(server: str) -> None:
    err = await error_for(httpx.Response(401, json={"message": server}))
    assert isinstance(err, AuthenticationError)
    assert err.message == (
        f"Recruitsome rejected the API key ({server.rstrip('.')}); check RECRUITSOME_API_KEY."
    )
    assert one_sentence(err.message)


async def test_401_without_a_key_says_none_was_sent() -> None:
    recorder = Recorder(httpx.Response(401, json={"message": "Unauthenticated."}))
    client, _ = make(recorder, key="  ")
    with pytest.raises(AuthenticationError) as caught:
        await client.vacancy_facets()
    assert "authorization" not in recorder.requests[0].headers
    assert caught.value.message == "No Recruitsome API key was sent; set RECRUITSOME_API_KEY."


async def test_the_key_never_leaks_even_when_the_server_echoes_it() -> None:
    exchanges: list[Exchange] = []
    echo = {"message": f"Key {KEY} is not valid.", "key": KEY}
    client, _ = make(
        Recorder(httpx.Response(401, json=echo, headers={"x-request-id": "req_1"})),
        observer=exchanges.append,
    )
    with pytest.raises(AuthenticationError) as caught:
        await client.vacancy_facets()
    err = caught.value
    assert KEY not in err.message and KEY not in str(err) and KEY not in repr(err)
    assert KEY not in repr(client)
    assert exchanges, "the observer saw the exchange"
    for exchange in exchanges:
        assert KEY not in json.dumps(exchange.__dict__, default=str)
    assert exchanges[0].headers["Authorization"] == "Bearer «redacted»"


SCOPE_BODIES: list[tuple[dict[str, Any], dict[str, str]]] = [
    ({"message": "Forbidden.", "code": "INSUFFICIENT_SCOPE"}, {}),
    ({"message": "INSUFFICIENT_SCOPE"}, {}),
    ({"error": "INSUFFICIENT_SCOPE", "message": "This action is unauthorized."}, {}),
    ({"error": {"code": "INSUFFICIENT_SCOPE", "message": "Missing vacancies:read."}}, {}),
    ({"message": "Forbidden.", "errors": {"scope": ["INSUFFICIENT_SCOPE"]}}, {}),
    ({"message": "The API key has insufficient scope."}, {}),
    ({"message": "Forbidden."}, {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}),
]


@pytest.mark.parametrize(("body", "headers"), SCOPE_BODIES)
async def test_403_insufficient_scope_wherever_it_sits(
    body: dict[str, Any], headers: dict[str, str]
) -> None:
    err = await error_for(httpx.Response(403, json=body, headers=headers))
    assert isinstance(err, InsufficientScopeError)
    assert isinstance(err, PermissionDeniedError)
    assert err.code == "INSUFFICIENT_SCOPE"
    assert "vacancies:read" in err.message
    assert one_sentence(err.message)


async def test_403_insufficient_scope_in_a_plain_text_body() -> None:
    err = await error_for(httpx.Response(403, text="INSUFFICIENT_SCOPE"))
    assert isinstance(err, InsufficientScopeError)


async def test_403_tenant_disabled() -> None:
    err = await error_for(
        httpx.Response(403, json={"message": "API access is not enabled for this tenant."})
    )
    assert isinstance(err, TenantDisabledError)
    assert err.message.startswith("API access is not enabled for this Recruitsome tenant")
    assert one_sentence(err.message)


async def test_403_other_reasons_quote_the_server() -> None:
    err = await error_for(httpx.Response(403, json={"message": "IP address not allowed."}))
    assert type(err) is PermissionDeniedError
    assert err.message == "Recruitsome refused the request: IP address not allowed."


async def test_422_names_the_invalid_filter_and_the_value_sent() -> None:
    body = {
        "message": "The given data was invalid.",
        "errors": {"location_id.0": ["The location_id.0 must be a valid location."]},
    }
    err = await error_for(httpx.Response(422, json=body), filters={"location_id": [999]})
    assert isinstance(err, InvalidFilterError)
    assert err.status_code == 422
    assert err.filter == "location_id"
    assert err.filter_errors == {"location_id": ["The location_id.0 must be a valid location."]}
    assert err.message == (
        "Recruitsome rejected the filter location_id=999 "
        "(The location_id.0 must be a valid location)."
    )
    assert one_sentence(err.message)


async def test_422_picks_the_value_by_index_and_lists_every_filter() -> None:
    body = {
        "message": "The given data was invalid.",
        "errors": {
            "language": ["The language must be 2 characters."],
            "tags.1": ["The tags.1 must be a valid tag."],
        },
    }
    err = await error_for(
        httpx.Response(422, json=body), filters={"language": "english", "tags": [1, 77]}
    )
    assert isinstance(err, InvalidFilterError)
    assert list(err.filter_errors) == ["language", "tags"]
    assert err.message == (
        "Recruitsome rejected the filters language=english (The language must be 2 "
        "characters); tags=77 (The tags.1 must be a valid tag)."
    )


async def test_422_without_an_errors_map() -> None:
    err = await error_for(httpx.Response(422, json={"message": "The given data was invalid."}))
    assert isinstance(err, InvalidFilterError)
    assert err.filter is None
    assert err.message == "Recruitsome rejected the filters: The given data was invalid."


async def test_422_is_not_retried() -> None:
    recorder = Recorder(httpx.Response(422, json={"errors": {"language": ["bad"]}}))
    client, waits = make(recorder)
    with pytest.raises(InvalidFilterError):
        await client.vacancy_facets({"language": "xyz"})
    assert len(recorder.requests) == 1 and waits == []


async def test_404_points_at_the_base_url() -> None:
    err = await error_for(httpx.Response(404, json={"message": "Not Found"}))
    assert isinstance(err, NotFoundError)
    assert "RECRUITSOME_BASE_URL" in err.message
    assert "https://rs.example.test/api/v1/vacancies/facets" in err.message


async def test_429_is_retried_honouring_retry_after() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "2"}, json={"message": "Too Many Attempts."}),
        ok(),
    )
    client, waits = make(recorder)
    facets = await client.vacancy_facets()
    assert facets.data.languages[0].code == "en"
    assert len(recorder.requests) == 2
    assert waits == [2.0]
    assert client.retries_made == 1


async def test_429_that_persists_becomes_a_rate_limit_error() -> None:
    recorder = Recorder(httpx.Response(429))
    client, waits = make(recorder)
    with pytest.raises(RateLimitError) as caught:
        await client.vacancy_facets()
    # Facets are optional: one more attempt at most, never a long wait.
    assert len(recorder.requests) == 2 and len(waits) == 1
    assert one_sentence(caught.value.message)


async def test_a_long_retry_after_on_facets_is_not_waited_for() -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "60"}))
    client, waits = make(recorder)
    with pytest.raises(RateLimitError):
        await client.vacancy_facets()
    assert waits and max(waits) <= 2.0


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors(status: int) -> None:
    recorder = Recorder(httpx.Response(status, text="<html>oops</html>"))
    client, _ = make(recorder)
    with pytest.raises(ServerError) as caught:
        await client.vacancy_facets()
    assert caught.value.message == f"Recruitsome failed (HTTP {status}); try again later."
    assert len(recorder.requests) == (1 if status == 500 else 2)


async def test_connection_errors_are_retried_then_typed() -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    client, waits = make(recorder)
    with pytest.raises(APIConnectionError) as caught:
        await client.vacancy_facets()
    assert len(recorder.requests) == 2 and len(waits) == 1
    assert "rs.example.test" in caught.value.message


async def test_a_dropped_connection_then_success() -> None:
    recorder = Recorder(httpx.ReadError("reset"), ok())
    client, _ = make(recorder)
    facets = await client.vacancy_facets()
    assert facets.data.tags[0].name == "Engineering"


def test_plain_http_is_refused_except_on_loopback() -> None:
    with pytest.raises(InsecureURLError) as caught:
        RECRUITSOME_ROOT.root("http://rs.example.test")
    assert "key" in caught.value.message
    assert RECRUITSOME_ROOT.root("http://127.0.0.1:8765") == "http://127.0.0.1:8765/api/v1"
    assert RECRUITSOME_ROOT.root("http://rs.example.test", allow_insecure=True).startswith(
        "http://"
    )
    with pytest.raises(InsecureURLError):
        RECRUITSOME_ROOT.root("ftp://rs.example.test")


def test_fingerprints_tell_keys_apart_without_holding_them() -> None:
    one = RecruitsomeClient(ORIGIN, KEY)
    other = RecruitsomeClient(ORIGIN, KEY + "x")
    assert one.key_fingerprint != other.key_fingerprint
    assert KEY not in one.key_fingerprint
    assert RecruitsomeClient(ORIGIN, None).key_fingerprint == "nokey"
    # A blank key is no key: nothing to tell apart, nothing sent.
    assert RecruitsomeClient(ORIGIN, " \n").key_fingerprint == "nokey"
