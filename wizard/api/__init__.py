"""The HTTP boundary: a shared base and one sub-package per service.

``base`` (the client base: root-URL check, request path, reply reader), ``transport``
(sending one request with retries), ``lenient`` (the lenient-model kit), ``errors``,
``retry``, ``sanitize`` and ``urls`` serve both services; ``opentrain`` and
``recruitsome`` each hold a client and its models, and never import each other.
Nothing here imports Textual (a test proves it), so the headless ``fill`` command and
the sandbox tests stay fast.
"""
