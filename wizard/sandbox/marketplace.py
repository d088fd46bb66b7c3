"""The marketplace the tokenless endpoints show: a seeded catalogue plus sandbox-published jobs.

The catalogue is generated from a fixed seed, so every sandbox (and every test) sees the same
~200 open jobs spread over many countries and languages. Jobs published in the sandbox are
added on top, so facet counts move when a draft is published (once the facets' cache
window has passed: see `wizard.sandbox.edge`).

A sandbox fixture, not API behaviour (`wizard/sandbox/README.md`, item 22): the catalogue is
invented, and no job is ever closed, so the documented `{id, status: "closed"}` 404 of
`GET /jobs/{id}` never occurs here.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from wizard.sandbox.fields import RATE_KEYS
from wizard.sandbox.store import JobRecord

CATALOGUE_SEED = 20260612
CATEGORIES: tuple[str, ...] = (
    "Text Annotation",
    "Audio Annotation",
    "Image Annotation",
    "Video Annotation",
    "LLM Evaluation",
    "Data Collection",
    "Translation",
    "Content Moderation",
)
PAY_TYPES: tuple[str, ...] = ("PAY_PER_HOUR", "PAY_PER_LABEL", "FIXED_PRICE")
EXPERIENCE_LABELS: dict[str, str] = {
    "EXPERT": "Expert",
    "ENTRY_LEVEL": "Entry level",
    "INTERMEDIATE": "Intermediate",
    "ANY_EXPERIENCE_LEVEL": "Any experience level",
}

# Weighted pools: a few big markets and a long tail, as on a real marketplace.
_COUNTRY_WEIGHTS: dict[str, int] = {
    "US": 40,
    "IN": 30,
    "PH": 22,
    "GB": 18,
    "CA": 15,
    "NG": 14,
    "KE": 13,
    "BR": 12,
    "MX": 12,
    "DE": 11,
    "ES": 10,
    "FR": 10,
    "PK": 9,
    "ID": 9,
    "EG": 8,
    "ZA": 8,
    "AU": 8,
    "CO": 7,
    "AR": 7,
    "VN": 7,
    "BD": 6,
    "IT": 6,
    "PL": 6,
    "UA": 6,
    "TR": 6,
    "NL": 5,
    "PT": 5,
    "RO": 5,
    "GH": 5,
    "MY": 5,
    "TH": 5,
    "JP": 5,
    "KR": 4,
    "CL": 4,
    "PE": 4,
    "MA": 4,
    "SE": 3,
    "IE": 3,
    "NZ": 3,
    "SG": 3,
    "AE": 3,
    "SA": 3,
    "IL": 3,
    "GR": 3,
    "CZ": 3,
    "HU": 3,
    "RS": 2,
    "HR": 2,
    "BG": 2,
    "LK": 2,
    "NP": 2,
    "ET": 2,
    "UG": 2,
    "TZ": 2,
    "RW": 2,
    "TN": 2,
    "JO": 2,
    "LB": 2,
    "EC": 2,
    "UY": 2,
    "CR": 2,
    "DO": 2,
    "GT": 2,
    "BE": 2,
    "AT": 2,
    "CH": 2,
    "DK": 2,
    "NO": 2,
    "FI": 2,
    "EE": 1,
    "LV": 1,
    "LT": 1,
    "SK": 1,
    "SI": 1,
    "CY": 1,
    "MT": 1,
    "IS": 1,
    "KZ": 1,
    "UZ": 1,
    "GE": 1,
    "AM": 1,
    "TW": 1,
    "HK": 1,
    "CM": 1,
    "SN": 1,
    "ZM": 1,
    "ZW": 1,
    "BO": 1,
    "PY": 1,
}
_LANGUAGE_WEIGHTS: dict[str, int] = {
    "English": 60,
    "Spanish": 14,
    "French": 8,
    "German": 6,
    "Portuguese": 6,
    "Hindi": 5,
    "Arabic": 5,
    "Tagalog": 4,
    "Swahili": 3,
    "Italian": 3,
    "Japanese": 3,
    "Mandarin": 3,
    "Korean": 2,
    "Dutch": 2,
    "Polish": 2,
    "Turkish": 2,
    "Vietnamese": 2,
    "Indonesian": 2,
    "Bengali": 2,
    "Urdu": 2,
    "Yoruba": 1,
    "Hausa": 1,
    "Amharic": 1,
    "Ukrainian": 1,
    "Russian": 1,
    "Romanian": 1,
    "Greek": 1,
    "Hebrew": 1,
    "Thai": 1,
    "Tamil": 1,
}
_CATEGORY_WEIGHTS: tuple[int, ...] = (30, 20, 18, 8, 12, 6, 4, 2)
_PAY_WEIGHTS: tuple[int, ...] = (52, 28, 20)
_TASKS: dict[str, tuple[str, ...]] = {
    "Text Annotation": ("Named entity tagging", "Intent classification", "Sentiment labelling"),
    "Audio Annotation": (
        "Speech transcription",
        "Speaker diarisation",
        "Call-centre audio tagging",
    ),
    "Image Annotation": (
        "Bounding-box annotation",
        "Polygon segmentation",
        "Product image tagging",
    ),
    "Video Annotation": ("Action recognition labelling", "Object tracking", "Video scene tagging"),
    "LLM Evaluation": ("Chatbot response rating", "RLHF preference ranking", "Prompt writing"),
    "Data Collection": (
        "Voice sample collection",
        "Receipt photo collection",
        "Handwriting samples",
    ),
    "Translation": ("Subtitle translation review", "Localisation QA", "Parallel corpus checking"),
    "Content Moderation": ("Forum post moderation", "Ad policy review", "Image safety review"),
}
_DOMAINS = (
    "retail",
    "healthcare",
    "legal",
    "finance",
    "automotive",
    "e-commerce",
    "agriculture",
    "customer support",
    "education",
    "logistics",
    "travel",
    "insurance",
)
_COMPANIES = (
    "Northwind Labs",
    "Blue Heron AI",
    "Quartz Data",
    "Lumen Analytics",
    "Tessellate",
    "Kestrel Robotics",
    "Orchid Health AI",
    "Parallax Vision",
    "Meridian Speech",
    "Cobalt Commerce",
)


@dataclass(frozen=True)
class MarketJob:
    """One open job as the marketplace sees it."""

    id: str
    slug: str
    title: str
    company_name: str
    description: str
    category: str
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    pay_type: str
    rate: float | None
    experience_level: str | None
    label_types: tuple[str, ...]
    labeling_software: str | None
    posted_at: datetime
    updated_at: datetime


def slugify(title: str) -> str:
    """`"Bounding-box annotation (retail)"` -> `"bounding-box-annotation-retail"`."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:60].strip("-") or "job"


@cache
def catalogue() -> tuple[MarketJob, ...]:
    """The seeded open jobs (same on every run)."""
    rng = random.Random(CATALOGUE_SEED)
    epoch = datetime(2026, 6, 12, 8, 0, tzinfo=UTC)
    countries = list(_COUNTRY_WEIGHTS)
    country_weights = list(_COUNTRY_WEIGHTS.values())
    languages = list(_LANGUAGE_WEIGHTS)
    language_weights = list(_LANGUAGE_WEIGHTS.values())
    jobs: list[MarketJob] = []
    for index in range(212):
        category = rng.choices(CATEGORIES, weights=_CATEGORY_WEIGHTS)[0]
        task = rng.choice(_TASKS[category])
        domain = rng.choice(_DOMAINS)
        title = f"{task} for {domain} data"
        job_languages = _sample(rng, languages, language_weights, rng.choice((1, 1, 1, 2, 2, 3)))
        job_countries = _sample(rng, countries, country_weights, rng.choice((1, 2, 2, 3, 4, 6)))
        pay_type = rng.choices(PAY_TYPES, weights=_PAY_WEIGHTS)[0]
        rate = {
            "PAY_PER_HOUR": round(rng.uniform(6, 45), 2),
            "PAY_PER_LABEL": round(rng.uniform(0.01, 0.5), 3),
            "FIXED_PRICE": float(rng.randrange(100, 5000, 50)),
        }[pay_type]
        posted = epoch - timedelta(hours=rng.randint(1, 24 * 60))
        job_id = f"cmk{rng.getrandbits(64):016x}{index:03d}"
        jobs.append(
            MarketJob(
                id=job_id,
                slug=slugify(title),
                title=title,
                company_name=rng.choice(_COMPANIES),
                description=(
                    f"{task} for a {domain} dataset. Work in {', '.join(job_languages)}"
                    f" from {', '.join(job_countries)}."
                ),
                category=category,
                languages=tuple(job_languages),
                countries=tuple(job_countries),
                pay_type=pay_type,
                rate=rate,
                experience_level=rng.choice(tuple(EXPERIENCE_LABELS)),
                label_types=(),
                labeling_software=None,
                posted_at=posted,
                updated_at=posted + timedelta(hours=rng.randint(0, 48)),
            )
        )
    jobs.sort(key=lambda job: job.posted_at, reverse=True)
    return tuple(jobs)


def _sample(rng: random.Random, values: list[str], weights: list[int], count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        pick = rng.choices(values, weights=weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def facet_counts(jobs: Iterable[MarketJob], generated_at: str) -> dict[str, Any]:
    """The `/jobs/facets` body for these jobs: each list sorted by count, highest first."""
    categories: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    pay_types: Counter[str] = Counter()
    total = 0
    for job in jobs:
        total += 1
        categories[job.category] += 1
        languages.update(job.languages)
        countries.update(job.countries)
        pay_types[job.pay_type] += 1
    return {
        "totalJobs": total,
        "categories": _ranked(categories),
        "languages": _ranked(languages),
        "countries": _ranked(countries),
        "payTypes": _ranked(pay_types),
        "generatedAt": generated_at,
    }


def _ranked(counter: Counter[str]) -> list[dict[str, Any]]:
    # Ties are broken by value so the order is stable between calls.
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [{"value": value, "count": count} for value, count in ordered]


def category_for(fields: dict[str, Any]) -> str:
    """The marketplace category a sandbox-published draft falls under."""
    data_type = str(fields.get("dataType") or "").lower()
    unit = fields.get("dataVolumeUnit")
    label_types = [str(t).lower() for t in fields.get("labelTypes") or []]
    if "translation" in label_types:
        return "Translation"
    if data_type == "audio" or unit == "HOURS_OF_RECORDING_AUDIO_VIDEO":
        return "Audio Annotation"
    if data_type == "video":
        return "Video Annotation"
    if data_type == "image":
        return "Image Annotation"
    if "ranking" in label_types:
        return "LLM Evaluation"
    return "Text Annotation"


def job_object(job: MarketJob, origin: str) -> dict[str, Any]:
    """The public JobObject shape of `GET /jobs` and `GET /jobs/{id}`."""
    pay: dict[str, Any] = {
        "paymentType": job.pay_type,
        "currency": "USD",
        "hourlyRate": job.rate if job.pay_type == "PAY_PER_HOUR" else None,
        "hourlyMin": None,
        "hourlyMax": None,
        "fixedPrice": job.rate if job.pay_type == "FIXED_PRICE" else None,
        "perLabelRate": job.rate if job.pay_type == "PAY_PER_LABEL" else None,
    }
    url = f"{origin}/jobs/{job.slug}-{job.id}"
    return {
        "id": job.id,
        "slug": job.slug,
        "title": job.title,
        "companyName": job.company_name,
        "descriptionText": job.description,
        "descriptionHtml": None,
        "seoTitle": job.title,
        "summary": job.description[:200],
        "status": "OPEN",
        "datePosted": iso(job.posted_at),
        "validThrough": iso(job.posted_at + timedelta(days=60)),
        "updatedAt": iso(job.updated_at),
        "employmentTypes": ["CONTRACTOR"],
        "countries": list(job.countries),
        "languages": list(job.languages),
        "category": job.category,
        "dataType": None,
        "labelTypes": list(job.label_types),
        "labelingSoftware": job.labeling_software,
        "experienceLevel": EXPERIENCE_LABELS.get(job.experience_level or ""),
        "skills": [],
        "pay": pay,
        "url": url,
        "applyUrl": f"{url}/apply",
    }


def iso(moment: datetime) -> str:
    """`2026-06-12T08:00:00.000Z`, the API's timestamp format."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def iso_from_epoch(seconds: float) -> str:
    """An epoch timestamp in the API's format."""
    return iso(datetime.fromtimestamp(seconds, tz=UTC))


def published_market_job(record: JobRecord) -> MarketJob:
    """A sandbox-published job as the marketplace lists it."""
    fields = record.fields
    payment_type = str(fields.get("paymentType") or "PAY_PER_HOUR")
    rate = fields.get(RATE_KEYS.get(payment_type, ""))
    moment = datetime.fromtimestamp(record.published_at or record.created_at, tz=UTC)
    title = str(fields.get("jobTitle") or "Untitled job")
    description = str(fields.get("jobDescription") or "")
    return MarketJob(
        id=record.id,
        slug=record.slug or slugify(title),
        title=title,
        company_name="Sandbox employer",
        description=description,
        category=category_for(fields),
        languages=tuple(fields.get("languages") or ()),
        countries=tuple(fields.get("countries") or ()),
        pay_type=payment_type,
        rate=float(rate) if isinstance(rate, int | float) else None,
        experience_level=fields.get("experienceLevel"),
        label_types=tuple(fields.get("labelTypes") or ()),
        labeling_software=fields.get("labelingSoftware"),
        posted_at=moment,
        updated_at=datetime.fromtimestamp(record.updated_at, tz=UTC),
    )
