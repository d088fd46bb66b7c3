"""The HTTP boundary: async clients, tolerant models, typed errors, one retry policy.

Nothing here imports Textual (a test proves it), so the headless ``fill`` command
and the sandbox tests stay fast.
"""

from __future__ import annotations

from wizard.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DailyLimitError,
    InsecureURLError,
    ModerationBlockedError,
    NotFoundError,
    PermissionDeniedError,
    PublishNotReadyError,
    RateLimitError,
    ResponseShapeError,
    ServerError,
    WizardAPIError,
)
from wizard.api.opentrain.client import DEFAULT_BASE_URL, OpenTrainClient, new_idempotency_key
from wizard.api.opentrain.models import (
    Capabilities,
    DraftResponse,
    Issue,
    MarketplaceFacets,
    MissingField,
    MyJob,
    PublishResult,
    Validation,
)
from wizard.api.retry import RetryPolicy
from wizard.api.transport import Exchange

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "Capabilities",
    "ConflictError",
    "DailyLimitError",
    "DraftResponse",
    "Exchange",
    "InsecureURLError",
    "Issue",
    "MarketplaceFacets",
    "MissingField",
    "ModerationBlockedError",
    "MyJob",
    "NotFoundError",
    "OpenTrainClient",
    "PermissionDeniedError",
    "PublishNotReadyError",
    "PublishResult",
    "RateLimitError",
    "ResponseShapeError",
    "RetryPolicy",
    "ServerError",
    "Validation",
    "WizardAPIError",
    "new_idempotency_key",
]
