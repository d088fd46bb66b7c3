"""The sandbox's routes, one module per resource, each with an `add_routes(app)`.

`create_app` adds them in a fixed order: it is the order of the OpenAPI document's paths,
and it decides matching (the fixed `/jobs/mine` and `/jobs/facets` before `/jobs/{id}`).
"""
