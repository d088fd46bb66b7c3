"""Async Recruitsome client for ``GET /api/v1/vacancies/facets``: a recruiter's own pick lists.

Recruitsome's facets list a tenant's locations, work sites, departments, experience
levels, job types, education levels, hierarchical tags and languages, each with a count
that honours the other active filters. The models here accept the documented shape and
the variants a PHP backend produces in practice (a group serialised as an object keyed
by id, ``null`` for an empty list, numbers as strings). Errors become the typed errors
of ``wizard.api.errors`` with one sentence each; the API key never appears in a message,
an exception, or the request log.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from wizard.api.errors import (
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseShapeError,
    ServerError,
    error_from_response,
)
from wizard.api.retry import RETRYABLE_STATUSES, RetryPolicy
from wizard.api.sanitize import UnreadableReply, decode_json, scrub
from wizard.api.transport import ClientBase, ExchangeObserver, send_with_retries
from wizard.api.urls import api_root_for
from wizard.config import DEFAULT_TIMEOUT

RECRUITSOME_PREFIX = "/api/v1"
FACETS_PATH = "/vacancies/facets"
KEY_VARIABLE = "RECRUITSOME_API_KEY"

ARRAY_FILTERS: tuple[str, ...] = (
    "location_id",
    "company_location_id",
    "department_id",
    "experience_levels",
    "education_levels",
    "job_types",
    "tags",
)
"""Filters sent in the documented ``name[]=value`` form, once per value."""

SCALAR_FILTERS: tuple[str, ...] = ("language", "search")
"""Filters sent once as ``name=value``."""

KNOWN_FILTERS: tuple[str, ...] = SCALAR_FILTERS + ARRAY_FILTERS
"""Every filter the facets endpoint documents."""

FilterValue = str | int | Sequence[str | int] | None
"""One filter's value: a scalar, or several ids for an array filter."""

Filters = Mapping[str, FilterValue]
"""Filters by name (``tags`` or ``tags[]``)."""

_SCOPE = re.compile(r"insufficient[\s_-]?scope", re.IGNORECASE)
_TENANT_OFF = re.compile(
    r"not\s+enabled|disabled|API_ACCESS|TENANT_DISABLED|access\s+is\s+off", re.IGNORECASE
)
_INDEX_SUFFIX = re.compile(r"(\[\])?(\.\d+|\[\d+\])*$")


# ---- models ---------------------------------------------------------------------------


class _Model(BaseModel):
    """Base of the Recruitsome models: unknown keys ignored, snake_case as documented."""

    # Built on first use (see ``wizard.api.models.Lenient``): most runs use none of them.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, defer_build=True)


def _as_items(value: Any) -> Any:
    """A facet group as a list of objects, whatever PHP made of it."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        # A PHP array with gaps in its keys is serialised as an object keyed by index/id.
        value = list(value.values())
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _count(value: Any) -> Any:
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _optional_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class _Counted(_Model):
    """What every facet option has: a translated name, a count, a ``selected`` flag."""

    name: str = ""
    """Translated into the requested ``language``."""
    count: int = 0
    """Vacancies with this attribute that also match the other active filters."""
    selected: bool = False
    """Whether this option is one of the active filters."""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return _count(value)

    @field_validator("selected", mode="before")
    @classmethod
    def _selected(cls, value: Any) -> Any:
        return False if value is None else value


class FacetOption(_Counted):
    """One option of a facet group: ``{id, name, count, selected}``."""

    id: int | str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value


class LocationFacet(FacetOption):
    """A location or work site, with where it is (any part may be ``null``)."""

    city: str | None = None
    country_code: str | None = None
    """ISO 3166-1 alpha-2, upper case."""
    country_name: str | None = None
    """In the requested locale."""

    @field_validator("city", "country_name", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _optional_text(value)

    @field_validator("country_code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        value = _optional_text(value)
        return value.upper() if isinstance(value, str) else value

    @property
    def place(self) -> str:
        """``City, Country`` from whichever parts are known."""
        return ", ".join(part for part in (self.city, self.country_name) if part)


class TagFacet(FacetOption):
    """A main tag; its count includes the vacancies of its sub-tags."""

    sub_tags: list[FacetOption] = Field(
        default_factory=list, validation_alias=AliasChoices("sub_tags", "subTags", "children")
    )

    @field_validator("sub_tags", mode="before")
    @classmethod
    def _subs(cls, value: Any) -> Any:
        return _as_items(value)


class LanguageFacet(_Counted):
    """A vacancy language: ISO 639-1 ``code`` (no id), a name, a count."""

    code: str = ""

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        value = _text(value)
        return value.strip().lower() if isinstance(value, str) else value


class VacancyFacetGroups(_Model):
    """``data`` of the facets response: every facet group (each may be empty)."""

    locations: list[LocationFacet] = Field(default_factory=list)
    company_locations: list[LocationFacet] = Field(default_factory=list)
    """Work sites; empty for tenants that are not agencies. Never holds a company name."""
    departments: list[FacetOption] = Field(default_factory=list)
    experience_levels: list[FacetOption] = Field(default_factory=list)
    job_types: list[FacetOption] = Field(default_factory=list)
    education_levels: list[FacetOption] = Field(default_factory=list)
    tags: list[TagFacet] = Field(default_factory=list)
    languages: list[LanguageFacet] = Field(default_factory=list)

    @field_validator(
        "locations",
        "company_locations",
        "departments",
        "experience_levels",
        "job_types",
        "education_levels",
        "tags",
        "languages",
        mode="before",
    )
    @classmethod
    def _groups(cls, value: Any) -> Any:
        return _as_items(value)


class VacancyFacetsMeta(_Model):
    """``meta`` of the facets response."""

    generated_at: str | None = None
    filters_applied: list[Any] | dict[str, Any] = Field(default_factory=list)
    """As sent: the docs show ``[]``; a PHP backend sends an object once it has keys."""

    @field_validator("filters_applied", mode="before")
    @classmethod
    def _applied(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, list | dict):
            return value
        return [value]

    @property
    def filter_names(self) -> list[str]:
        """The names of the active filters, whichever form ``filters_applied`` took."""
        raw = self.filters_applied
        names: list[str] = []
        if isinstance(raw, dict):
            names = [str(key) for key in raw]
        else:
            for item in raw:
                if isinstance(item, str):
                    names.append(item.split("=", 1)[0])
                elif isinstance(item, dict):
                    found = item.get("key") or item.get("name") or item.get("filter")
                    if isinstance(found, str):
                        names.append(found)
        out: list[str] = []
        for name in names:
            base = filter_base_name(name)
            if base and base not in out:
                out.append(base)
        return out


class VacancyFacets(_Model):
    """``GET /api/v1/vacancies/facets``: ``{data: {...groups}, meta: {...}}``."""

    data: VacancyFacetGroups = Field(default_factory=VacancyFacetGroups)
    meta: VacancyFacetsMeta = Field(default_factory=VacancyFacetsMeta)

    @model_validator(mode="before")
    @classmethod
    def _envelope(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        value = dict(value)
        if "data" not in value and any(key in value for key in VacancyFacetGroups.model_fields):
            # Tolerate the groups at the top level (no ``data`` envelope).
            groups = {k: value.pop(k) for k in list(value) if k in VacancyFacetGroups.model_fields}
            value["data"] = groups
        if value.get("data") is None:
            value["data"] = {}
        if value.get("meta") is None:
            value["meta"] = {}
        return value

    def to_document(self) -> dict[str, Any]:
        """The response in its documented structure, normalised, ready for ``json.dumps``."""
        return self.model_dump(mode="json")


# ---- filters --------------------------------------------------------------------------


def filter_base_name(name: str) -> str:
    """``tags[]``, ``tags.0`` or ``tags[1]`` → ``tags``."""
    return _INDEX_SUFFIX.sub("", name.strip())


def _values(value: FilterValue) -> list[str]:
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str | int):
        text = str(value).strip()
        return [text] if text else []
    out: list[str] = []
    for item in value:
        if item is None or isinstance(item, bool):
            continue
        text = str(item).strip()
        if text:
            out.append(text)
    return out


def normalize_filters(filters: Filters | None) -> dict[str, list[str]]:
    """Filters by base name with their values as text, empties dropped, order kept."""
    out: dict[str, list[str]] = {}
    for raw_name, value in (filters or {}).items():
        name = filter_base_name(raw_name)
        values = _values(value)
        if not name or not values:
            continue
        known = out.setdefault(name, [])
        for text in values:
            if text not in known:
                known.append(text)
    return out


def is_array_filter(name: str, raw_name: str | None = None, value: FilterValue = None) -> bool:
    """Whether a filter goes out as ``name[]=value`` (documented arrays, or given as a list)."""
    if name in ARRAY_FILTERS:
        return True
    if name in SCALAR_FILTERS:
        return False
    if raw_name is not None and raw_name.strip().endswith("[]"):
        return True
    return value is not None and not isinstance(value, str | int)


def encode_filters(filters: Filters | None) -> str:
    """The query string, array filters in the documented ``name[]=value`` form, repeated.

    The brackets are sent literally (as the docs' examples do); values are percent-encoded.
    """
    pairs: list[tuple[str, str]] = []
    for raw_name, value in (filters or {}).items():
        name = filter_base_name(raw_name)
        values = _values(value)
        if not name or not values:
            continue
        if is_array_filter(name, raw_name, value):
            pairs.extend((f"{name}[]", v) for v in values)
        else:
            pairs.append((name, values[-1]))
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)


def filters_cache_key(filters: Filters | None) -> str:
    """A stable text for the active filters (order of names and values does not matter)."""
    normal = normalize_filters(filters)
    return json.dumps({k: sorted(v) for k, v in sorted(normal.items())}, separators=(",", ":"))


# ---- errors ---------------------------------------------------------------------------


class InvalidFilterError(APIStatusError):
    """422: Recruitsome rejected one or more filters (``filter_errors`` says which)."""

    title = "Invalid filter"

    def __init__(
        self, message: str, *, filter_errors: dict[str, list[str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.filter_errors: dict[str, list[str]] = filter_errors or {}
        """Messages by filter base name (``location_id.0`` becomes ``location_id``)."""

    @property
    def filter(self) -> str | None:
        """The first filter the server named, if any."""
        return next(iter(self.filter_errors), None)


class InsufficientScopeError(PermissionDeniedError):
    """403 ``INSUFFICIENT_SCOPE``: the key was made without ``vacancies:read``."""

    title = "Key lacks a scope"


class TenantDisabledError(PermissionDeniedError):
    """403: API access is switched off for the whole tenant."""

    title = "Recruitsome API access is off"


def _strings(value: Any) -> Iterable[str]:
    """Every string in a JSON value, keys included, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _clean(text: str, secret: str | None, *, limit: int = 200) -> str:
    """Server text made safe for one sentence: the key redacted, whitespace folded, capped."""
    text = " ".join(scrub(text, [secret] if secret else []).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _inner(text: str) -> str:
    """Server text to embed mid-sentence: no trailing full stop."""
    return text.strip().rstrip(".").strip()


def _body(response: httpx.Response, api_key: str | None) -> Any:
    """The error body, scrubbed like every reply (see ``wizard.api.sanitize``), or None."""
    try:
        return decode_json(response.content, [api_key] if api_key else [])
    except UnreadableReply:
        return None


def _server_message(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None
    for key in ("message", "error_description", "error", "detail"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, Mapping):
            nested = value.get("message")
            if isinstance(nested, str) and nested.strip():
                return nested
    return None


def _field_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, Mapping):
        return {}
    raw = body.get("errors")
    out: dict[str, list[str]] = {}
    if isinstance(raw, Mapping):
        for key, messages in raw.items():
            if isinstance(messages, str):
                messages = [messages]
            if isinstance(messages, list):
                out[str(key)] = [str(m) for m in messages if m is not None]
    elif isinstance(raw, list):  # defensive: [{field, message}]
        for item in raw:
            if isinstance(item, Mapping):
                name = item.get("field") or item.get("param") or item.get("name")
                message = item.get("message")
                if isinstance(name, str):
                    out.setdefault(name, []).append(str(message or "is invalid"))
    return out


def _index(raw_key: str) -> int | None:
    match = re.search(r"(?:\.|\[)(\d+)\]?$", raw_key)
    return int(match.group(1)) if match else None


def recruitsome_error(
    response: httpx.Response,
    *,
    api_key: str | None,
    root: str,
    sent: Mapping[str, list[str]] | None = None,
) -> APIStatusError:
    """The typed error for a non-2xx Recruitsome response, with one clear sentence.

    Args:
        response: The response (read).
        api_key: The key that was sent, only so it can be redacted from server text.
        root: The API root, named when the endpoint is missing.
        sent: The filters that were sent (base name → values), to name a rejected value.
    """
    secrets = [api_key] if api_key else []
    base = error_from_response(response, secrets=secrets)
    status = response.status_code
    body = _body(response, api_key)
    server = _server_message(body)
    said = _clean(server, api_key) if server else None
    kwargs: dict[str, Any] = {
        "status_code": status,
        "code": base.code,
        "request_id": base.request_id,
        "details": base.details,
        "retry_after": base.retry_after,
    }
    if status == 401:
        if not api_key:
            message = f"No Recruitsome API key was sent; set {KEY_VARIABLE}."
        else:
            reason = f" ({_inner(said)})" if said else ""
            message = f"Recruitsome rejected the API key{reason}; check {KEY_VARIABLE}."
        return AuthenticationError(message, **kwargs)
    if status == 403:
        texts = list(_strings(body)) if body is not None else []
        texts.append(response.headers.get("www-authenticate", ""))
        if not texts[:-1] and response.content:
            texts.append(response.content.decode("utf-8", "replace"))
        if any(_SCOPE.search(text) for text in texts):
            kwargs["code"] = "INSUFFICIENT_SCOPE"
            return InsufficientScopeError(
                "The Recruitsome API key lacks the vacancies:read scope; create a key with it "
                "(the Career Website preset has it).",
                **kwargs,
            )
        if any(_TENANT_OFF.search(text) for text in texts):
            return TenantDisabledError(
                "API access is not enabled for this Recruitsome tenant; an admin can switch it "
                "on under Settings → Integrations.",
                **kwargs,
            )
        reason = f": {_inner(said)}" if said else ""
        return PermissionDeniedError(f"Recruitsome refused the request{reason}.", **kwargs)
    if status == 422:
        raw_errors = _field_errors(body)
        by_filter: dict[str, list[str]] = {}
        named: dict[str, str] = {}
        for raw_key, messages in raw_errors.items():
            name = filter_base_name(raw_key) or raw_key
            by_filter.setdefault(name, []).extend(_clean(m, api_key) for m in messages)
            label = name
            position = _index(raw_key)
            values = (sent or {}).get(name, [])
            if position is not None and position < len(values):
                label = f"{name}={values[position]}"
            elif len(values) == 1:
                label = f"{name}={values[0]}"
            named.setdefault(name, label)
        if not by_filter:
            reason = f": {_inner(said)}" if said else ""
            return InvalidFilterError(
                f"Recruitsome rejected the filters{reason}.", filter_errors={}, **kwargs
            )
        parts = [
            f"{named[name]} ({_inner(msgs[0])})" if msgs else named[name]
            for name, msgs in by_filter.items()
        ]
        noun = "filter" if len(parts) == 1 else "filters"
        message = f"Recruitsome rejected the {noun} " + "; ".join(parts) + "."
        return InvalidFilterError(message, filter_errors=by_filter, **kwargs)
    if status == 404:
        return NotFoundError(
            f"Recruitsome has no vacancy facets at {root}{FACETS_PATH}; check "
            "RECRUITSOME_BASE_URL.",
            **kwargs,
        )
    if status == 429:
        return RateLimitError("Recruitsome is rate limiting requests; try again shortly.", **kwargs)
    if status >= 500:
        return ServerError(f"Recruitsome failed (HTTP {status}); try again later.", **kwargs)
    reason = f": {_inner(said)}" if said else ""
    return APIStatusError(f"Recruitsome answered HTTP {status}{reason}.", **kwargs)


# ---- the client -----------------------------------------------------------------------


def recruitsome_root(base_url: str, *, allow_insecure: bool = False) -> str:
    """Turn an origin (or the full ``…/api/v1`` base) into the API root, refusing unsafe URLs."""
    return api_root_for(
        base_url,
        RECRUITSOME_PREFIX,
        what="The Recruitsome base URL",
        secret="the Recruitsome key",
        insecure_hint="; use https://.",
        allow_insecure=allow_insecure,
    )


def key_fingerprint(api_key: str | None) -> str:
    """A short one-way digest of a key, to tell tenants apart without keeping the key."""
    if not api_key:
        return "nokey"
    return hashlib.sha256(b"draft-wizard:" + api_key.encode()).hexdigest()[:16]


class RecruitsomeClient(ClientBase):
    """Recruitsome's public API, the part the wizard needs: vacancy facets."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        allow_insecure: bool = False,
        observer: ExchangeObserver | None = None,
    ) -> None:
        """Build a client.

        Args:
            base_url: The origin (``https://app.recruitsome.com``) or the ``…/api/v1`` base.
            api_key: A tenant key with ``vacancies:read``; sent as a Bearer token only.
            http_client: The transport owner; the client makes one when not given.
            retry: The retry policy (tests pass one with a recording sleeper).
            timeout: The total deadline of each attempt in seconds (connect, headers and
                body), and the gap between bytes when the client makes its own HTTP client.
            allow_insecure: Allow plain http to a host that is not loopback.
            observer: Called with every exchange, key redacted (the request log).

        Raises:
            InsecureURLError: ``base_url`` is not an http(s) origin (see ``wizard.api.urls``).
        """
        super().__init__(
            recruitsome_root(base_url, allow_insecure=allow_insecure),
            http_client=http_client,
            retry=retry,
            timeout=timeout,
            observer=observer,
        )
        self._api_key = api_key.strip() if api_key and api_key.strip() else None
        self.secrets = [self._api_key] if self._api_key else []

    def __repr__(self) -> str:
        return f"RecruitsomeClient(root={self.root!r}, key={'set' if self._api_key else 'unset'})"

    @property
    def has_key(self) -> bool:
        """Whether a key will be sent."""
        return self._api_key is not None

    @property
    def key_fingerprint(self) -> str:
        """A one-way digest of the key: cache entries of different tenants never mix."""
        return key_fingerprint(self._api_key)

    async def vacancy_facets(self, filters: Filters | None = None) -> VacancyFacets:
        """``GET /vacancies/facets``: every facet group, counts honouring ``filters``.

        Args:
            filters: ``language`` and ``search`` (text) and the array filters
                (``location_id``, ``company_location_id``, ``department_id``,
                ``experience_levels``, ``education_levels``, ``job_types``, ``tags``), each
                a value or a sequence of ids; names may carry the ``[]`` suffix.

        Raises:
            InvalidFilterError: 422, naming the filter.
            AuthenticationError: 401, the key is missing or wrong.
            InsufficientScopeError: 403, the key lacks ``vacancies:read``.
            TenantDisabledError: 403, API access is off for the tenant.
            WizardAPIError: any other failure (network, server, unreadable body).
        """
        query = encode_filters(filters)
        path = FACETS_PATH + (f"?{query}" if query else "")
        response = await self._send(path, sent=normalize_filters(filters))
        data = self._decode(response, "; check RECRUITSOME_BASE_URL")
        if not isinstance(data, dict):
            raise ResponseShapeError(
                f"{self.host} sent vacancy facets of an unexpected shape.",
                status_code=response.status_code,
            )
        try:
            return VacancyFacets.model_validate(data)
        except ValidationError as err:
            raise ResponseShapeError(
                f"{self.host} sent vacancy facets of an unexpected shape.",
                status_code=response.status_code,
            ) from err

    async def _send(self, path: str, *, sent: Mapping[str, list[str]]) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return await send_with_retries(
            self._http,
            "GET",
            self.root + path,
            shown_path=path,
            headers=headers,
            content=None,
            params=None,
            host=self.host,
            # Only facets come from Recruitsome, and the form goes on without them.
            retry=self.retry.for_optional_data(),
            secrets=self.secrets,
            deadline=self.deadline,
            max_bytes=self.max_reply_bytes,
            observe=self.observer,
            to_error=lambda response: recruitsome_error(
                response, api_key=self._api_key, root=self.root, sent=sent
            ),
            should_retry=lambda error: error.status_code in RETRYABLE_STATUSES,
            on_retry=self._count_retry,
        )

    def _count_retry(self) -> None:
        self.retries_made += 1
