"""One clear sentence for every way a call can fail, and the field it concerns."""

from __future__ import annotations

from wizard.api.errors import (
    APIStatusError,
    AuthenticationError,
    ConflictError,
    DailyLimitError,
    ModerationBlockedError,
    NotFoundError,
    PermissionDeniedError,
    WizardAPIError,
)


def explain(err: WizardAPIError) -> tuple[str, str | None]:
    """The sentence to show for an error, and the field it names (or None)."""
    field = None
    message = err.message
    if isinstance(err, APIStatusError) and err.field_errors:
        field, field_message = next(iter(err.field_errors.items()))
        message = f"{field}: {field_message}"
    elif isinstance(err, ModerationBlockedError):
        reasons = " ".join(err.reasons)
        message = f"Moderation blocked publishing: {reasons or err.message}"
    elif isinstance(err, DailyLimitError):
        window = err.window_hours or 24
        limit = f"{err.limit} " if err.limit else ""
        message = (
            f"The daily publish limit ({limit}per {window} h) is reached; the draft is "
            "saved and can be published later."
        )
    elif isinstance(err, AuthenticationError):
        message = f"The API token was rejected: {err.message}"
    elif isinstance(err, PermissionDeniedError):
        reason = err.reason
        if reason == "account_claim_required":
            message = f"{err.message} Claim the account first."
        elif "featureKey" in err.details:
            message = f"{err.message} (feature {err.details['featureKey']} is off)"
    elif isinstance(err, NotFoundError | ConflictError):
        message = err.message
    if isinstance(err, APIStatusError) and err.request_id:
        message = f"{message} (request {err.request_id})"
    return message, field
