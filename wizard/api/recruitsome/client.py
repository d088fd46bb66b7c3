"""Async Recruitsome client for ``GET /api/v1/vacancies/facets``: a recruiter's own pick lists.

Recruitsome's facets list a tenant's locations, work sites, departments, experience
levels, job types, education levels, hierarchical tags and languages, each with a count
that honours the other active filters (``models``, read leniently; ``filters``, how they
are sent). Errors become typed errors with one sentence each (``errors``); the API key
never appears in a message, an exception, or the request log. The request path, the
root-URL check and the reply reader are ``wizard.api.base.ClientBase``'s.
"""

from __future__ import annotations

import hashlib

from wizard.api.base import ClientBase, ServiceRoot
from wizard.api.recruitsome.errors import FACETS_PATH, recruitsome_error
from wizard.api.recruitsome.filters import Filters, encode_filters, normalize_filters
from wizard.api.recruitsome.models import VacancyFacets

RECRUITSOME_PREFIX = "/api/v1"

RECRUITSOME_ROOT = ServiceRoot(
    prefix=RECRUITSOME_PREFIX,
    what="The Recruitsome base URL",
    secret="the Recruitsome key",
    insecure_hint="; use https://.",
)


def key_fingerprint(api_key: str | None) -> str:
    """A short one-way digest of a key, to tell tenants apart without keeping the key."""
    if not api_key:
        return "nokey"
    return hashlib.sha256(b"draft-wizard:" + api_key.encode()).hexdigest()[:16]


class RecruitsomeClient(ClientBase):
    """Recruitsome's public API, the part the wizard needs: vacancy facets."""

    service = RECRUITSOME_ROOT

    def __repr__(self) -> str:
        key = "set" if self._credential else "unset"
        return f"RecruitsomeClient(root={self.root!r}, key={key})"

    @property
    def key_fingerprint(self) -> str:
        """A one-way digest of the key: cache entries of different tenants never mix."""
        return key_fingerprint(self._credential)

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
        sent = normalize_filters(filters)
        response = await self._request(
            "GET",
            FACETS_PATH + (f"?{query}" if query else ""),
            # Only facets come from Recruitsome, and the form goes on without them.
            retry=self.retry.for_optional_data(),
            to_error=lambda response: recruitsome_error(
                response, api_key=self._credential, root=self.root, sent=sent
            ),
        )
        return self._read_model(
            VacancyFacets,
            response,
            unexpected=f"{self.host} sent vacancy facets of an unexpected shape.",
            hint="; check RECRUITSOME_BASE_URL",
        )
