"""schemathesis drives the sandbox through its own OpenAPI document and finds no 5xx.

The document is served at ``/api/public/v1/openapi.json`` (as the real API serves its
own); schemathesis loads it from the ASGI app in process and, for every operation,
generates valid (positive) and invalid (negative) requests with the sandbox's token,
checking only ``not_a_server_error``. Every other PATCH and publish is aimed at a real
draft, so generated bodies reach the validation and readiness code, not just the 404. Each
operation's example count is printed (``-s`` shows them) and must be non-trivial.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from wizard.sandbox import SANDBOX_RECRUITSOME_KEY, SANDBOX_TOKEN  # noqa: E402

OPENAPI = "/api/public/v1/openapi.json"
MAX_EXAMPLES = 15
"""Per operation and generation mode."""
BODY_EXAMPLES = 10
"""For the two draft bodies: building their strategies costs seconds of CPU per mode."""
SLOW_BODIES = {"POST /api/public/v1/job-drafts", "PATCH /api/public/v1/job-drafts/{jobId}"}

OPERATIONS = [
    "GET /api/public/v1/auth/me",
    "GET /api/public/v1/job-drafts/capabilities",
    "POST /api/public/v1/job-drafts",
    "PATCH /api/public/v1/job-drafts/{jobId}",
    "GET /api/public/v1/jobs/mine",
    "GET /api/public/v1/jobs/facets",
    "GET /api/public/v1/jobs",
    "POST /api/public/v1/jobs/{id}/publish",
    "GET /api/public/v1/jobs/{id}",
    "GET /api/v1/vacancies/facets",
    "GET /api/v1/health",
]
"""Every operation the document lists (a test keeps this list honest)."""

pytestmark = [
    pytest.mark.slow,
    # schemathesis drives ASGI apps through starlette's TestClient, which asks for httpx2.
    pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`"),
]


@pytest.fixture(scope="module")
def schema() -> Iterator[Any]:
    from wizard.sandbox import create_app

    # The fuzzing explores parameters and bodies; the 120-a-minute limit on the tokenless
    # endpoints would answer most of them 429 (it has its own tests).
    yield schemathesis.openapi.from_asgi(OPENAPI, create_app(tokenless_limit=0))


@pytest.fixture(scope="module")
def draft_id(schema: Any) -> str:
    """A real draft in the app under test."""
    from starlette.testclient import TestClient

    with TestClient(schema.app) as client:
        response = client.post(
            "/api/public/v1/job-drafts",
            json={"rawJobDescription": "Tag 300 hours of English audio, $12/hour."},
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        )
    assert response.status_code == 201, response.text
    job_id: str = response.json()["jobId"]
    return job_id


def _operations(schema: Any) -> dict[str, Any]:
    return {op.label: op for op in (result.ok() for result in schema.get_all_operations())}


def test_the_document_lists_the_operations_we_fuzz(schema: Any) -> None:
    assert sorted(_operations(schema)) == sorted(OPERATIONS)


def _fuzz(
    operation: Any, mode: Any, headers: dict[str, str], examples: int, real_id: tuple[str, str]
) -> tuple[int, set[int]]:
    """Run one operation in one mode; every other example aims at the real draft."""
    seen: list[int] = []
    name, job_id = real_id

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if name and len(seen) % 2:
            case.path_parameters = {**(case.path_parameters or {}), name: job_id}
        response = case.call(headers=headers)
        seen.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    try:
        run()
    except Unsatisfiable:
        # No parameters and no body: there is nothing invalid to generate.
        assert mode == GenerationMode.NEGATIVE
    return len(seen), set(seen)


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error(schema: Any, draft_id: str, label: str) -> None:
    operation = _operations(schema)[label]
    token = SANDBOX_RECRUITSOME_KEY if label.startswith("GET /api/v1/") else SANDBOX_TOKEN
    headers = {"Authorization": f"Bearer {token}"}
    real_id = ("", "")
    if label.startswith("PATCH"):
        real_id = ("jobId", draft_id)
    elif label.endswith("/publish"):
        real_id = ("id", draft_id)
    budget = BODY_EXAMPLES if label in SLOW_BODIES else MAX_EXAMPLES
    examples = 0
    statuses: set[int] = set()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        ran, seen = _fuzz(operation, mode, headers, budget, real_id)
        examples += ran
        statuses |= seen
    print(f"schemathesis: {label}: {examples} examples, statuses {sorted(statuses)}")
    assert examples >= 1
    assert all(status < 500 for status in statuses)
