"""Pick-list options: ISO reference lists, counts from both facet sources, tags as a tree."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import MarketplaceFacets
from wizard.api.recruitsome.models import VacancyFacets
from wizard.core.engine import DraftEngine
from wizard.core.facets import (
    CATEGORIES_KEY,
    PAY_TYPES_KEY,
    RECRUITSOME_GROUP_KEYS,
    TAGS_KEY,
    FacetsSnapshot,
    Fetched,
    apply_marketplace,
    apply_vacancies,
    build_catalog,
)
from wizard.core.options import (
    OPENTRAIN,
    RECRUITSOME,
    Option,
    OptionCatalog,
    SourceCount,
    country_code,
    country_label,
    language_name,
)

MARKETPLACE = MarketplaceFacets.model_validate(
    {
        "totalJobs": 184,
        "categories": [
            {"value": "Text Annotation", "count": 62},
            {"value": "Audio Annotation", "count": 41},
            {"value": "Image Annotation", "count": 35},
        ],
        "languages": [{"value": "English", "count": 120}, {"value": "Spanish", "count": 28}],
        "countries": [{"value": "US", "count": 44}, {"value": "IN", "count": 31}],
        "payTypes": [
            {"value": "PAY_PER_HOUR", "count": 97},
            {"value": "PAY_PER_LABEL", "count": 52},
            {"value": "FIXED_PRICE", "count": 35},
        ],
        "generatedAt": "2026-06-12T08:00:00.000Z",
    }
)


def place(
    ident: int, name: str, code: str | None, country: str | None, count: int, city: str = ""
) -> Any:
    return {
        "id": ident,
        "name": name,
        "city": (city or name) if code else None,
        "country_code": code,
        "country_name": country,
        "count": count,
        "selected": False,
    }


VACANCIES = VacancyFacets.model_validate(
    {
        "data": {
            "locations": [
                place(1, "Amsterdam", "NL", "Netherlands", 45),
                place(2, "Rotterdam", "NL", "Netherlands", 23),
                place(5, "Antwerp", "BE", "Belgium", 6),
                place(8, "Remote", None, None, 4),
                # No code, but a name that maps to one.
                {"id": 9, "name": "Berlin", "country_name": "Germany", "count": 3},
            ],
            "company_locations": [
                place(10, "Refinery", "NL", "Netherlands", 12, city="Rotterdam"),
                # A work site in a country no location has.
                place(11, "Lyon Plant", "FR", "France", 2),
            ],
            "departments": [
                {"id": 5, "name": "Engineering", "count": 32},
                {"id": 6, "name": "Legal", "count": 0},
            ],
            "experience_levels": [{"id": 2, "name": "Junior", "count": 20}],
            "job_types": [{"id": 1, "name": "Full-time", "count": 68}],
            "education_levels": [{"id": 8, "name": "Bachelor", "count": 45}],
            "tags": [
                {
                    "id": 2,
                    "name": "Sales",
                    "count": 28,
                    "sub_tags": [{"id": 10, "name": "Account Executive", "count": 15}],
                },
                {
                    "id": 1,
                    "name": "Engineering",
                    "count": 42,
                    "sub_tags": [
                        {"id": 6, "name": "DevOps Engineer", "count": 12},
                        {"id": 7, "name": "Firmware", "count": 0},
                        {"id": 5, "name": "Software Engineer", "count": 25},
                    ],
                },
            ],
            "languages": [
                {"code": "en", "name": "English", "count": 52},
                {"code": "nl", "name": "Nederlands", "count": 34},
                {"code": "xx", "name": "Klingon", "count": 1},
            ],
        },
        "meta": {"generated_at": "2026-06-12T08:00:00Z", "filters_applied": []},
    }
)


def by_value(options: list[Option]) -> dict[str, Option]:
    return {o.value: o for o in options}


# ---- the reference catalog ------------------------------------------------------------------


def test_reference_catalog_has_every_country_and_language_without_counts() -> None:
    catalog = OptionCatalog.reference()
    countries = by_value(catalog.options_for("countries"))
    assert len(countries) == 249
    assert countries["NL"].label == "Netherlands (NL)"
    assert countries["NL"].count is None and not countries["NL"].dimmed
    languages = by_value(catalog.options_for("languages"))
    assert languages["Dutch"].ref == "nl"
    # Alphabetical when nothing is counted.
    labels = [o.label for o in catalog.options_for("languages")]
    assert labels == sorted(labels, key=str.casefold)
    assert catalog.options_for("labelTypes") == []


def test_add_counts_without_a_source_still_works_as_the_engine_calls_it() -> None:
    catalog = OptionCatalog.reference()
    catalog.add_counts(
        "languages", [("English", 120), ("spanish", 28)], note_template="used in {count} open jobs"
    )
    options = catalog.options_for("languages")
    assert [(o.value, o.count) for o in options[:2]] == [("English", 120), ("Spanish", 28)]
    assert options[0].note == "used in 120 open jobs"
    assert options[-1].count == 0 and options[-1].dimmed


async def test_engine_prepare_merges_marketplace_facets_into_its_catalog() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs/facets"):
            return httpx.Response(200, json=MARKETPLACE.model_dump(by_alias=True))
        return httpx.Response(200, json={"capabilities": {}, "draft": {}, "enabled": True})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    engine = DraftEngine(
        OpenTrainClient("https://api.example.test", "t", http_client=http), scope="test"
    )
    await engine.prepare()
    await http.aclose()
    countries = engine.catalog.options_for("countries")
    assert [o.value for o in countries[:2]] == ["US", "IN"]
    assert engine.catalog.canonical("languages", "english") == "English"


# ---- OpenTrain marketplace facets -----------------------------------------------------------


def test_marketplace_counts_labels_and_notes() -> None:
    catalog = OptionCatalog.reference()
    apply_marketplace(catalog, MARKETPLACE)

    languages = catalog.options_for("languages")
    assert [(o.value, o.count) for o in languages[:2]] == [("English", 120), ("Spanish", 28)]
    english = languages[0]
    assert english.note == "used in 120 open jobs"
    assert english.counts == (SourceCount(OPENTRAIN, 120, "used in 120 open jobs"),)
    assert english.display_label == "English · 120"

    countries = catalog.options_for("countries")
    assert [(o.value, o.label, o.count) for o in countries[:2]] == [
        ("US", "United States (US)", 44),
        ("IN", "India (IN)", 31),
    ]
    # Every other country is known but unused: last, dimmed, no count in its label.
    rest = countries[2:]
    assert all(o.count == 0 and o.dimmed for o in rest)
    assert rest[0].display_label == rest[0].label
    assert catalog.sources == [OPENTRAIN]

    categories = catalog.options_for(CATEGORIES_KEY)
    assert [o.value for o in categories] == [
        "Text Annotation",
        "Audio Annotation",
        "Image Annotation",
    ]
    pay = by_value(catalog.options_for(PAY_TYPES_KEY))
    assert pay["PAY_PER_HOUR"].label == "Pay per hour"
    assert pay["PAY_PER_HOUR"].note == "used in 97 open jobs"


def test_singular_note() -> None:
    catalog = OptionCatalog.reference()
    apply_marketplace(
        catalog, MarketplaceFacets.model_validate({"languages": [{"value": "Welsh", "count": 1}]})
    )
    assert catalog.option("languages", "Welsh") is not None
    assert catalog.option("languages", "welsh").note == "used in 1 open job"  # type: ignore[union-attr]


def test_marketplace_values_in_the_other_form_are_tolerated() -> None:
    # Documented: language names and country codes. Tolerated: codes and names.
    facets = MarketplaceFacets.model_validate(
        {
            "languages": [{"value": "de", "count": 5}],
            "countries": [{"value": "Germany", "count": 7}, {"value": "XK", "count": 2}],
        }
    )
    catalog = OptionCatalog.reference()
    apply_marketplace(catalog, facets)
    assert by_value(catalog.options_for("languages"))["German"].count == 5
    countries = by_value(catalog.options_for("countries"))
    assert countries["DE"].count == 7
    # A code outside the ISO table still becomes an option, labelled with the code.
    assert countries["XK"].label == "XK" and countries["XK"].count == 2


# ---- Recruitsome vacancy facets -------------------------------------------------------------


def test_recruitsome_language_codes_become_names_with_their_own_note() -> None:
    catalog = OptionCatalog.reference()
    apply_vacancies(catalog, VACANCIES)
    languages = by_value(catalog.options_for("languages"))
    assert languages["Dutch"].count == 34
    assert languages["Dutch"].note == "in 34 of your vacancies"
    assert languages["English"].count == 52
    # An unknown code keeps the name Recruitsome gave it.
    assert languages["Klingon"].count == 1
    assert catalog.sources == [RECRUITSOME]


def test_both_sources_keep_their_own_counts() -> None:
    catalog = OptionCatalog.reference()
    apply_marketplace(catalog, MARKETPLACE)
    apply_vacancies(catalog, VACANCIES)
    english = catalog.option("languages", "English")
    assert english is not None
    assert english.count_from(OPENTRAIN) == 120
    assert english.count_from(RECRUITSOME) == 52
    assert english.count == 172  # the order uses the total
    assert english.note == "used in 120 open jobs; in 52 of your vacancies"
    assert english.display_label == "English · 120 jobs · 52 yours"
    dutch = catalog.option("languages", "Dutch")
    assert dutch is not None and dutch.count_from(OPENTRAIN) is None
    assert dutch.display_label == "Dutch · 34"
    assert catalog.sources == [OPENTRAIN, RECRUITSOME]
    # The counted ones come first, most used first; the unused ones last.
    order = [o.value for o in catalog.options_for("languages")[:4]]
    assert order == ["English", "Dutch", "Spanish", "Klingon"]


def test_recruitsome_countries_come_from_location_country_codes() -> None:
    catalog = OptionCatalog.reference()
    apply_vacancies(catalog, VACANCIES)
    countries = by_value(catalog.options_for("countries"))
    # Locations in NL sum to 68, work sites to 12: the larger total, not both.
    assert countries["NL"].count == 68
    assert countries["NL"].note == "in 68 of your vacancies"
    assert countries["NL"].label == "Netherlands (NL)"
    assert countries["BE"].count == 6
    assert countries["DE"].count == 3  # coded from its country name
    assert countries["FR"].count == 2  # from a work site only
    assert [o.value for o in catalog.options_for("countries")[:4]] == ["NL", "BE", "DE", "FR"]


def test_recruitsome_tags_are_a_tree_ordered_by_count() -> None:
    catalog = OptionCatalog.reference()
    apply_vacancies(catalog, VACANCIES)
    tags = catalog.options_for(TAGS_KEY)
    assert [(t.value, t.count, t.ref) for t in tags] == [
        ("Engineering", 42, "1"),
        ("Sales", 28, "2"),
    ]
    engineering = tags[0]
    assert [(c.value, c.count) for c in engineering.children] == [
        ("Software Engineer", 25),
        ("DevOps Engineer", 12),
        ("Firmware", 0),
    ]
    assert engineering.children[-1].dimmed
    assert engineering.children[0].note == "in 25 of your vacancies"
    assert engineering.matches_tree("devops") and not engineering.matches("devops")
    assert [o.value for o in engineering.walk()][:2] == ["Engineering", "Software Engineer"]
    assert catalog.canonical(TAGS_KEY, "account executive") == "Account Executive"
    assert catalog.option(TAGS_KEY, "Firmware") == engineering.children[-1]


def test_other_recruitsome_groups_are_suggestions_with_notes() -> None:
    catalog = OptionCatalog.reference()
    apply_vacancies(catalog, VACANCIES)
    departments = catalog.options_for(RECRUITSOME_GROUP_KEYS["departments"])
    assert [(d.value, d.count, d.dimmed) for d in departments] == [
        ("Engineering", 32, False),
        ("Legal", 0, True),
    ]
    locations = by_value(catalog.options_for(RECRUITSOME_GROUP_KEYS["locations"]))
    assert locations["Amsterdam"].label == "Amsterdam, Netherlands"
    assert locations["Remote"].label == "Remote"
    sites = by_value(catalog.options_for(RECRUITSOME_GROUP_KEYS["company_locations"]))
    assert sites["Refinery"].label == "Refinery (Rotterdam, Netherlands)"
    assert sites["Lyon Plant"].label == "Lyon Plant, France"
    assert catalog.options_for(RECRUITSOME_GROUP_KEYS["job_types"])[0].ref == "1"


# ---- typed answers and the catalog as a whole -----------------------------------------------


@pytest.mark.parametrize(
    ("key", "typed", "value"),
    [
        ("countries", "Netherlands", "NL"),
        ("countries", "netherlands (nl)", "NL"),
        ("countries", "nl", "NL"),
        ("languages", "nl", "Dutch"),
        ("languages", "DUTCH", "Dutch"),
        ("languages", "Klingon", None),
        ("countries", "Atlantis", None),
    ],
)
def test_canonical(key: str, typed: str, value: str | None) -> None:
    assert OptionCatalog.reference().canonical(key, typed) == value


def test_helpers() -> None:
    assert country_label("nl") == "Netherlands (NL)"
    assert country_label("XK", "Kosovo") == "Kosovo (XK)"
    assert language_name("NL") == "Dutch" and language_name("xx") is None
    assert country_code("Belgium") == "BE" and country_code("be") == "BE"
    assert country_code("Nowhere") is None


def test_build_catalog_from_a_snapshot_keeps_notes() -> None:
    snapshot = FacetsSnapshot(
        marketplace=Fetched(MARKETPLACE),
        vacancies=None,
        notes=["Recruitsome suggestions unavailable (no network)."],
    )
    catalog = build_catalog(snapshot)
    assert catalog.option("countries", "US").count == 44  # type: ignore[union-attr]
    assert catalog.notes == ["Recruitsome suggestions unavailable (no network)."]
    assert TAGS_KEY not in catalog.by_key


def test_an_empty_snapshot_is_the_reference_catalog() -> None:
    catalog = build_catalog(FacetsSnapshot())
    assert catalog.options_for("countries") == OptionCatalog.reference().options_for("countries")
    assert catalog.sources == []
