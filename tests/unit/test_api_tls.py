"""TLS settings of the clients' own HTTP clients: verified against the CA bundle for
https, and for a plain-http root a context that trusts nothing (it is never used)."""

from __future__ import annotations

import ssl

import pytest

from wizard.api.opentrain.client import OpenTrainClient


def _context(client: OpenTrainClient) -> ssl.SSLContext:
    context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(context, ssl.SSLContext)
    return context


async def test_an_https_root_verifies_against_the_ca_bundle() -> None:
    async with OpenTrainClient("https://app.opentrain.ai", "t") as client:
        context = _context(client)
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert context.cert_store_stats()["x509_ca"] > 0


@pytest.mark.parametrize("root", ["http://127.0.0.1:8765", "http://localhost"])
async def test_a_plain_http_root_loads_no_ca_and_would_fail_closed(root: str) -> None:
    async with OpenTrainClient(root, "t") as client:
        context = _context(client)
        # Nothing trusted, verification still required: a TLS connection could not succeed.
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert context.cert_store_stats()["x509_ca"] == 0
