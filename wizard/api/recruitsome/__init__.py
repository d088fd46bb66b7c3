"""Recruitsome's vacancy facets: the client, its models, its filters and its errors.

Built on the same base as the OpenTrain client (``wizard.api.base``) and the same
lenient kit (``wizard.api.lenient``); loaded only by runs that use Recruitsome.
"""
