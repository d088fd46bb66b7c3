"""Async OpenTrain client over one injected ``httpx.AsyncClient``.

It returns the response models of ``wizard.api.opentrain.models``, raises the typed
errors of ``wizard.api.errors``, applies the one retry policy, and reports every exchange
(token redacted) to an optional observer, which is how the UI's request log sees
traffic. The request path, the root-URL check and the reply reader are
``wizard.api.base.ClientBase``'s.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from wizard.api.base import ClientBase, ModelT, ServiceRoot, retry_transient
from wizard.api.errors import (
    APIStatusError,
    DailyLimitError,
    ResponseShapeError,
    error_from_response,
)
from wizard.api.opentrain.models import (
    Capabilities,
    DraftResponse,
    JobSearchPage,
    MarketplaceFacets,
    Me,
    MyJobsPage,
    PublishResult,
)
from wizard.config import OPTIONAL_DEADLINE

API_PREFIX = "/api/public/v1"
PAY_TYPES = ("PAY_PER_HOUR", "FIXED_PRICE", "PAY_PER_LABEL")
"""The ``payType`` values ``GET /jobs`` accepts (any other is a 400)."""

OPENTRAIN_ROOT = ServiceRoot(
    prefix=API_PREFIX,
    what="The base URL",
    secret="the token",
    insecure_hint=". Use https://, or pass --allow-insecure-http if you really mean it.",
)


class OpenTrainClient(ClientBase):
    """The OpenTrain public API, the parts a draft wizard needs."""

    service = OPENTRAIN_ROOT

    # ---- the endpoints -------------------------------------------------------------

    async def me(self, *, optional: bool = False) -> Me:
        """``GET /auth/me``: who the token belongs to, its scopes and the account.

        ``optional`` hurries the retries (the account check must not hold the form back).
        """
        return await self._call(Me, "GET", "/auth/me", optional=optional)

    async def capabilities(self) -> Capabilities:
        """``GET /job-drafts/capabilities``: feature flags, update keys and enums."""
        return await self._call(Capabilities, "GET", "/job-drafts/capabilities")

    async def create_draft(
        self,
        description: str,
        *,
        idempotency_key: str | None = None,
        external_id: str | None = None,
    ) -> DraftResponse:
        """``POST /job-drafts`` from plain text.

        Retried only because it always carries an idempotency key: a replay returns
        the draft the first attempt made instead of a duplicate.
        """
        key = idempotency_key or new_idempotency_key()
        body: dict[str, Any] = {"rawJobDescription": description, "idempotencyKey": key}
        if external_id:
            body["externalId"] = external_id
        draft = await self._call(DraftResponse, "POST", "/job-drafts", json_body=body)
        if not draft.job_id.strip():
            # Following an empty id would PATCH /job-drafts/ and journal a nameless draft.
            raise ResponseShapeError(
                f"{self.host} created a draft without an id; nothing can be sent to it.",
                status_code=200,
            )
        return draft

    async def update_draft(self, job_id: str, changes: dict[str, Any]) -> DraftResponse:
        """``PATCH /job-drafts/{id}``: absolute values, so a retry is safe.

        Raises:
            ResponseShapeError: the reply names another draft (or none), among others.
        """
        draft = await self._call(
            DraftResponse, "PATCH", f"/job-drafts/{_segment(job_id)}", json_body=changes
        )
        _same_draft(job_id, draft.job_id)
        return draft

    async def publish(self, job_id: str) -> PublishResult:
        """``POST /jobs/{id}/publish``: idempotent by state, so a retry is safe.

        Raises:
            ResponseShapeError: the reply names another job (or none), among others.
        """
        result = await self._call(
            PublishResult, "POST", f"/jobs/{_segment(job_id)}/publish", publishing=True
        )
        _same_draft(job_id, result.job_id)
        return result

    async def my_jobs(
        self, *, status: str | None = None, limit: int = 25, cursor: str | None = None
    ) -> MyJobsPage:
        """``GET /jobs/mine``: newest first, drafts included."""
        params: dict[str, str] = {"limit": str(limit)}
        if status:
            params["status"] = status
        if cursor:
            params["cursor"] = cursor
        return await self._call(MyJobsPage, "GET", "/jobs/mine", params=params)

    async def facets(self) -> MarketplaceFacets:
        """``GET /jobs/facets``: tokenless marketplace counts."""
        return await self._call(MarketplaceFacets, "GET", "/jobs/facets", auth=False, optional=True)

    async def search_jobs(
        self,
        *,
        q: str | None = None,
        pay_type: str | None = None,
        language: str | None = None,
        country: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> JobSearchPage:
        """``GET /jobs``: the tokenless marketplace search (open jobs only).

        Optional data, like facets: a short deadline and one quick retry at most, so a
        rate-limited or slow marketplace never holds anything up. The language and
        country parameter names are not shown in the public docs (``language`` and
        ``country`` are inferred).

        Raises:
            ValueError: ``pay_type`` is not one the API accepts (it would answer 400).
        """
        if pay_type is not None and pay_type not in PAY_TYPES:
            raise ValueError(f"payType must be one of {', '.join(PAY_TYPES)}, not {pay_type!r}.")
        params: dict[str, str] = {}
        for name, value in (
            ("q", q),
            ("payType", pay_type),
            ("language", language),
            ("country", country),
            ("cursor", cursor),
        ):
            if value is not None and value.strip():
                params[name] = value.strip()
        if limit is not None:
            params["limit"] = str(max(1, min(limit, 100)))  # documented maximum: 100
        return await self._call(
            JobSearchPage, "GET", "/jobs", params=params or None, auth=False, optional=True
        )

    # ---- plumbing --------------------------------------------------------------------

    async def _call(
        self,
        model: type[ModelT],
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
        publishing: bool = False,
        optional: bool = False,
    ) -> ModelT:
        response = await self._request(
            method,
            path,
            json_body=json_body,
            params=params,
            auth=auth,
            # Optional data (facets, the search): no long waits, the form goes on without.
            retry=self.retry.for_optional_data() if optional else None,
            deadline=_optional_deadline(self.deadline) if optional else None,
            to_error=lambda response: error_from_response(
                response, publishing=publishing, secrets=self.secrets
            ),
            should_retry=_should_retry,
        )
        return self._read_model(
            model,
            response,
            unexpected=f"{self.host} sent JSON of an unexpected shape for {method} {path}.",
        )


def _should_retry(error: APIStatusError) -> bool:
    if isinstance(error, DailyLimitError):
        return False  # a daily cap is not transient: tell, don't retry
    return retry_transient(error)


def _optional_deadline(deadline: float | None) -> float:
    """The deadline of one attempt at data the wizard can do without."""
    return OPTIONAL_DEADLINE if deadline is None else min(deadline, OPTIONAL_DEADLINE)


def new_idempotency_key() -> str:
    """A fresh idempotency key for a create."""
    return f"dw-{uuid.uuid4()}"


def _same_draft(sent: str, answered: str) -> None:
    """Refuse a reply about another draft than the one the request named.

    Following it would attach the answers (and the journal) to a job this user never
    opened, or to none at all when the id is empty.
    """
    if answered.strip() == str(sent).strip():
        return
    named = f"it named {shown_id(answered)!r}" if answered.strip() else "it named none"
    raise ResponseShapeError(
        f"The server answered for another draft ({named}), so its reply was not used.",
        status_code=200,
    )


def shown_id(job_id: str) -> str:
    """A job id from a server, short enough for a sentence."""
    return job_id if len(job_id) <= 40 else job_id[:39] + "…"


def _segment(job_id: str) -> str:
    """Quote a job id for use as one path segment."""
    return quote(str(job_id), safe="")
