"""Models of Recruitsome's ``GET /api/v1/vacancies/facets`` reply.

They accept the documented shape and the variants a PHP backend produces in practice
(a group serialised as an object keyed by id, ``null`` for an empty list, numbers as
strings), with the shared kit of ``wizard.api.lenient``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from wizard.api.lenient import BlankIsNone, Count, Lenient, Name, ObjectItems, text_or_empty
from wizard.api.record import Field, field_validator, model_validator
from wizard.api.recruitsome.filters import filter_base_name


class _Counted(Lenient):
    """What every facet option has: a translated name, a count, a ``selected`` flag."""

    name: Name = ""
    """Translated into the requested ``language``."""
    count: Count = 0
    """Vacancies with this attribute that also match the other active filters."""
    selected: bool = False
    """Whether this option is one of the active filters."""

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

    city: BlankIsNone = None
    country_code: BlankIsNone = None
    """ISO 3166-1 alpha-2, upper case."""
    country_name: BlankIsNone = None
    """In the requested locale."""

    @field_validator("country_code", mode="after")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return value.upper() if value is not None else value

    @property
    def place(self) -> str:
        """``City, Country`` from whichever parts are known."""
        return ", ".join(part for part in (self.city, self.country_name) if part)


class TagFacet(FacetOption):
    """A main tag; its count includes the vacancies of its sub-tags."""

    sub_tags: Annotated[list[FacetOption], ObjectItems] = Field(
        default_factory=list, aliases=("sub_tags", "subTags", "children")
    )


class LanguageFacet(_Counted):
    """A vacancy language: ISO 639-1 ``code`` (no id), a name, a count."""

    code: str = ""

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        value = text_or_empty(value)
        return value.strip().lower() if isinstance(value, str) else value


class VacancyFacetGroups(Lenient):
    """``data`` of the facets response: every facet group (each may be empty)."""

    locations: Annotated[list[LocationFacet], ObjectItems] = Field(default_factory=list)
    company_locations: Annotated[list[LocationFacet], ObjectItems] = Field(default_factory=list)
    """Work sites; empty for tenants that are not agencies. Never holds a company name."""
    departments: Annotated[list[FacetOption], ObjectItems] = Field(default_factory=list)
    experience_levels: Annotated[list[FacetOption], ObjectItems] = Field(default_factory=list)
    job_types: Annotated[list[FacetOption], ObjectItems] = Field(default_factory=list)
    education_levels: Annotated[list[FacetOption], ObjectItems] = Field(default_factory=list)
    tags: Annotated[list[TagFacet], ObjectItems] = Field(default_factory=list)
    languages: Annotated[list[LanguageFacet], ObjectItems] = Field(default_factory=list)


class VacancyFacetsMeta(Lenient):
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


class VacancyFacets(Lenient):
    """``GET /api/v1/vacancies/facets``: ``{data: {...groups}, meta: {...}}``."""

    data: VacancyFacetGroups = Field(default_factory=VacancyFacetGroups)
    meta: VacancyFacetsMeta = Field(default_factory=VacancyFacetsMeta)

    @model_validator(mode="before")
    @classmethod
    def _envelope(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        value = dict(value)
        group_names = VacancyFacetGroups.model_fields()
        if "data" not in value and any(key in value for key in group_names):
            # Tolerate the groups at the top level (no ``data`` envelope).
            groups = {k: value.pop(k) for k in list(value) if k in group_names}
            value["data"] = groups
        if value.get("data") is None:
            value["data"] = {}
        if value.get("meta") is None:
            value["meta"] = {}
        return value

    def to_document(self) -> dict[str, Any]:
        """The response in its documented structure, normalised, ready for ``json.dumps``."""
        return self.model_dump(mode="json")
