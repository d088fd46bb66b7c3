"""Pull draft fields out of a free-text job description.

The parser is deliberately rule-based and explainable: each field comes from a pattern a
reader can point at ("$18/hour", "20,000 images", "10 annotators"). What it finds goes into
`normalizedFields`; guesses go into `lowConfidenceFields`; things it recognised but cannot
store (a rate in euros, a headcount of 2,000) go into `unmappedFields`.

Not documented (`wizard/sandbox/README.md`, item 13): the real parser is unknown, and so is
the shape of `lowConfidenceFields`; the sandbox's entries are `{field, value, reason}`, and
`unmappedFields` entries `{path, reason, valuePreview}` (the third key is inferred).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from wizard.sandbox import geo
from wizard.sandbox.fields import MAX_HEADCOUNT, MAX_TITLE
from wizard.sandbox.readiness import OVERVIEW_NEEDED_BELOW

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_MULT = r"(?:\s?(k|K|M|thousand|million|mil)\b)?"
# A number that is not the tail of a larger one ("000" in "20,000") nor a price.
_N = rf"(?<![\d,.$€£₹])(?<!\$\s){_NUM}"
_RANGE = r"(?:\s*(?:-|–|—|to)\s*\$?\s*(?:\d[\d,]*(?:\.\d+)?|\.\d+))?"
_PER = r"\s*(?:/|per|an?|each|for\s+each)\s*"
_HOUR = r"(?:hour|hr|h)\b"
_LABEL_UNIT = (
    r"(?:label|annotation|bounding\s+box|box|image|photo|item|task|transcript|record|sample"
    r"|clip|file|segment|utterance|document|page|sentence|response|prompt|conversation"
    r"|judge?ment|rating|comparison|polygon|keypoint)s?\b"
)
_USD_BEFORE = r"(?:\$|US\$|USD\s*)"
_USD_AFTER = r"(?:USD|US\$|dollars?)"

_FLAGS = re.IGNORECASE

_HOURLY_RATES = [
    re.compile(rf"{_USD_BEFORE}\s*{_NUM}{_MULT}{_RANGE}\s*(?:USD\s*)?{_PER}{_HOUR}", _FLAGS),
    re.compile(rf"{_N}{_MULT}{_RANGE}\s*{_USD_AFTER}{_PER}{_HOUR}", _FLAGS),
    re.compile(
        rf"hourly\s+(?:rate|pay|wage|compensation)\s*(?:of|:|is|=|at)?\s*{_USD_BEFORE}\s*{_NUM}",
        _FLAGS,
    ),
    re.compile(rf"{_USD_BEFORE}\s*{_NUM}{_RANGE}\s*(?:USD\s*)?hourly\b", _FLAGS),
]
_LABEL_RATES = [
    re.compile(rf"{_USD_BEFORE}\s*{_NUM}{_RANGE}\s*(?:USD\s*)?{_PER}{_LABEL_UNIT}", _FLAGS),
    re.compile(rf"{_N}{_RANGE}\s*{_USD_AFTER}{_PER}{_LABEL_UNIT}", _FLAGS),
    re.compile(
        rf"per[- ](?:label|annotation)\s+(?:rate|pay|price)\s*(?:of|:|is|=)?\s*"
        rf"{_USD_BEFORE}\s*{_NUM}",
        _FLAGS,
    ),
]
_CENT_RATE = re.compile(rf"{_N}\s*(?:cents?|¢){_PER}{_LABEL_UNIT}", _FLAGS)
_FIXED_RATES = [
    re.compile(
        rf"(?:fixed[- ]price|fixed\s+budget|fixed\s+fee|flat\s+fee|lump[- ]sum|total\s+budget"
        rf"|project\s+budget|budget)\s*(?:of|:|is|=|at)?\s*{_USD_BEFORE}\s*{_NUM}{_MULT}",
        _FLAGS,
    ),
    re.compile(
        rf"{_USD_BEFORE}\s*{_NUM}{_MULT}\s*(?:USD\s*)?(?:total|in\s+total|fixed|flat"
        rf"|for\s+the\s+(?:whole|entire|full)\s+(?:project|job|batch|dataset))\b",
        _FLAGS,
    ),
    re.compile(rf"{_N}{_MULT}\s*(?:USD|dollars)\s*(?:total|in\s+total|fixed|flat)\b", _FLAGS),
]
_FOREIGN_RATE = re.compile(
    rf"(?:(?:€|£|₹)\s*{_NUM}|{_N}\s*(?:EUR|GBP|INR|CAD|AUD|euros?|pounds?))"
    rf"{_PER}(?:({_HOUR})|{_LABEL_UNIT})",
    _FLAGS,
)
_PAYMENT_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "PAY_PER_HOUR",
        re.compile(
            r"\b(?:paid|pay|payment|billed|compensated|compensation)\s+(?:is\s+)?"
            r"(?:by\s+the\s+hour|hourly|per\s+hour)\b|\bhourly\s+(?:pay|rate|basis|contract"
            r"|position|role|work|job)\b|\bper[- ]hour\s+basis\b",
            _FLAGS,
        ),
    ),
    (
        "PAY_PER_LABEL",
        re.compile(
            r"\b(?:paid|pay|payment|billed|compensated)\s+(?:is\s+)?per\s+(?:label|annotation"
            r"|task|item|image)\b|\bper[- ](?:label|annotation|task)\s+(?:pay|pricing|basis"
            r"|rate)\b|\bpay[- ]per[- ]label\b",
            _FLAGS,
        ),
    ),
    (
        "FIXED_PRICE",
        re.compile(
            r"\bfixed[- ]price\b|\bfixed\s+(?:budget|fee)\b|\bflat\s+fee\b|\blump[- ]sum\b", _FLAGS
        ),
    ),
]

_WORKER = (
    r"(?:AI\s+)?(?:annotators?|labell?ers?|people|persons?|trainers?|contractors?|freelancers?"
    r"|workers?|raters?|transcribers?|translators?|linguists?|reviewers?|experts?|specialists?"
    r"|writers?|evaluators?|testers?|native\s+speakers?|speakers?|moderators?|taggers?)\b"
)
_NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a dozen": 12,
    "dozen": 12,
}
_COUNT = (
    r"(?<![\d,.$])\b(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|forty|fifty|a\s+dozen|dozen)"
)
_HEADCOUNT = [
    re.compile(
        rf"\b(?:hire|hiring|need|needs|needed|looking\s+for|recruit(?:ing)?|seeking|require"
        rf"|want|onboard(?:ing)?)\s+(?:up\s+to\s+|about\s+|around\s+|approximately\s+"
        rf"|roughly\s+|at\s+least\s+)?{_COUNT}\s+(?:[\w-]+\s+){{0,3}}?{_WORKER}",
        _FLAGS,
    ),
    re.compile(rf"\bteam\s+of\s+{_COUNT}\b", _FLAGS),
    re.compile(r"\bheadcount\s*(?:of|:|is|=)?\s*(\d[\d,]*)\b", _FLAGS),
    re.compile(rf"{_COUNT}\s+(?:[\w-]+\s+){{0,2}}?{_WORKER}", _FLAGS),
]
_WORKER_RE = re.compile(_WORKER, _FLAGS)

_FILES = (
    r"(?:images?|photos?|pictures?|files?|documents?|videos?|video\s+clips?|clips?|PDFs?"
    r"|scans?|frames?|screenshots?|receipts?|invoices?|recordings?)\b"
)
_AMBIGUOUS_UNITS = (
    r"(?:samples?|records?|items?|examples?|conversations?|dialogues?|dialogs?|prompts?"
    r"|responses?|tasks?|entries|rows?|utterances?|pairs?|data\s+points?|queries|transcripts?)\b"
)
_VOLUMES: list[tuple[str | None, re.Pattern[str]]] = [
    (
        "HOURS_OF_RECORDING_AUDIO_VIDEO",
        re.compile(
            rf"{_N}{_MULT}\+?\s*(?:hours?|hrs?)\s+(?:of\s+)?(?:[\w-]+\s+){{0,2}}?"
            rf"(?:audio|video|recordings?|speech|footage|calls?|podcasts?|conversations?)\b",
            _FLAGS,
        ),
    ),
    ("NUMBER_OF_FILES", re.compile(rf"{_N}{_MULT}\+?\s*(?:[\w-]+\s+)?{_FILES}", _FLAGS)),
    (
        "NUMBER_OF_WORDS",
        re.compile(rf"{_N}{_MULT}\+?\s*(?:[\w-]+\s+)?(?:words?|tokens?)\b", _FLAGS),
    ),
    (None, re.compile(rf"{_N}{_MULT}\+?\s*(?:[\w-]+\s+)?{_AMBIGUOUS_UNITS}", _FLAGS)),
    (
        None,
        re.compile(
            rf"\b(?:dataset|data\s+set|corpus|volume|batch)\s*(?:of|:|is|=|with)\s*(?:about\s+"
            rf"|around\s+|approximately\s+|roughly\s+|~\s*)?{_N}{_MULT}",
            _FLAGS,
        ),
    ),
]

_EXPERIENCE: list[tuple[str, re.Pattern[str], bool]] = [
    # (level, pattern, whether the wording is an exact match for the level)
    (
        "ANY_EXPERIENCE_LEVEL",
        re.compile(r"\b(?:any|all)\s+(?:experience\s+)?levels?\b", _FLAGS),
        True,
    ),
    ("ENTRY_LEVEL", re.compile(r"\bentry[- ]level\b", _FLAGS), True),
    (
        "ENTRY_LEVEL",
        re.compile(
            r"\bbeginners?\b|\bjunior\b|\bno\s+(?:prior\s+|previous\s+)?experience\s+(?:is\s+)?"
            r"(?:required|needed|necessary)\b",
            _FLAGS,
        ),
        False,
    ),
    ("INTERMEDIATE", re.compile(r"\bintermediate\b", _FLAGS), True),
    (
        "INTERMEDIATE",
        re.compile(r"\bmid[- ]level\b|\bsome\s+(?:prior\s+)?experience\b", _FLAGS),
        False,
    ),
    ("EXPERT", re.compile(r"\bexpert(?:s|-level)?\b", _FLAGS), True),
    ("EXPERT", re.compile(r"\bsenior\b|\bhighly\s+experienced\b", _FLAGS), False),
]

_LABEL_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("Bounding Box", re.compile(r"\bbounding[- ]box(?:es)?\b", _FLAGS)),
    ("Polygon", re.compile(r"\bpolygons?\b", _FLAGS)),
    ("Semantic Segmentation", re.compile(r"\bsegmentation\b", _FLAGS)),
    ("Keypoint", re.compile(r"\bkey[- ]?points?\b", _FLAGS)),
    ("Classification", re.compile(r"\bclassif(?:y|ication)\b", _FLAGS)),
    ("Transcription", re.compile(r"\btranscri(?:be|ption|bing)\b", _FLAGS)),
    ("Translation", re.compile(r"\btranslat(?:e|ion|ing)\b", _FLAGS)),
    ("Named Entity Recognition", re.compile(r"\bnamed[- ]entit(?:y|ies)\b|\bNER\b")),
    ("Sentiment", re.compile(r"\bsentiment\b", _FLAGS)),
    ("Ranking", re.compile(r"\brank(?:ing)?\b|\bRLHF\b", _FLAGS)),
]
_TOOLS = ["CVAT", "Label Studio", "Labelbox", "SuperAnnotate", "Prodigy", "V7", "Encord", "Doccano"]
_TOOL_RE = re.compile(r"\b(" + "|".join(re.escape(t) for t in _TOOLS) + r")\b", _FLAGS)
_DATA_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("Image", re.compile(r"\b(?:images?|photos?|pictures?|screenshots?)\b", _FLAGS)),
    ("Video", re.compile(r"\b(?:videos?|footage)\b", _FLAGS)),
    ("Audio", re.compile(r"\b(?:audio|speech|recordings?|podcasts?)\b", _FLAGS)),
    (
        "Text",
        re.compile(r"\b(?:text|words|documents?|sentences?|prompts?|conversations?)\b", _FLAGS),
    ),
]

_EXPLICIT_TITLE = re.compile(
    r"^[ \t]*(?:job[ \t]+)?title[ \t]*[:\-][ \t]*(\S.*)$", re.IGNORECASE | re.MULTILINE
)
_OVERVIEW = re.compile(
    r"^[ \t]*(?:label(?:l)?ing[ \t]+|task[ \t]+)?overview[ \t]*[:\-][ \t]*(\S.*)$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class ParseResult:
    """Fields found in a description, plus what was uncertain or could not be stored."""

    fields: dict[str, Any] = field(default_factory=dict)
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    low_confidence: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def guess(self, key: str, value: Any, reason: str) -> None:
        """Store a field and flag it for review."""
        self.fields[key] = value
        self.low_confidence.append({"field": key, "value": value, "reason": reason})

    def skip(self, path: str, reason: str, preview: str) -> None:
        """Record input the parser recognised but cannot store."""
        self.unmapped.append({"path": path, "reason": reason, "valuePreview": preview[:80]})


def parse_description(text: str, *, path: str = "rawJobDescription") -> ParseResult:
    """Extract draft fields from a free-text job description.

    Args:
        text: the description, up to 60,000 characters.
        path: where the text came from in the request, for `unmappedFields`.
    """
    result = ParseResult()
    body = text.strip()
    if not body:
        return result
    result.fields["jobDescription"] = body
    _title(body, result)
    _overview(body, result)
    _payment(body, result, path)
    _languages(body, result)
    _countries(body, result)
    _headcount(body, result, path)
    _volume(body, result, path)
    _experience(body, result)
    _extras(body, result)
    if len(body) < OVERVIEW_NEEDED_BELOW and "labelingOverview" not in result.fields:
        result.warnings.append(
            {
                "code": "DESCRIPTION_SHORT",
                "message": (
                    f"The description has {len(body)} characters; under {OVERVIEW_NEEDED_BELOW}"
                    " a labeling overview is required before publishing."
                ),
            }
        )
    return result


def to_number(digits: str, multiplier: str | None = None) -> int | float:
    """`"20,000"` -> 20000, `("1.2", "k")` -> 1200; whole numbers come back as int."""
    value = float(digits.replace(",", ""))
    scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mil": 1e6}
    if multiplier:
        value *= scale.get(multiplier.lower(), 1.0)
    return int(value) if value.is_integer() else round(value, 6)


def _title(text: str, result: ParseResult) -> None:
    explicit = _EXPLICIT_TITLE.search(text)
    if explicit and len(explicit.group(1).strip()) <= MAX_TITLE:
        result.fields["jobTitle"] = explicit.group(1).strip()
        return
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return
    first = lines[0].strip("#*_ \t").rstrip(":").strip()
    if first and len(first) <= 100:
        result.guess("jobTitle", first, "Taken from the first line of the description.")


def _overview(text: str, result: ParseResult) -> None:
    found = _OVERVIEW.search(text)
    if found:
        result.fields["labelingOverview"] = found.group(1).strip()[:20_000]


def _payment(text: str, result: ParseResult, path: str) -> None:
    found: list[tuple[int, str, int | float, bool, str]] = []
    kinds = (
        ("PAY_PER_HOUR", _HOURLY_RATES),
        ("PAY_PER_LABEL", _LABEL_RATES),
        ("FIXED_PRICE", _FIXED_RATES),
    )
    for payment_type, patterns in kinds:
        for pattern in patterns:
            for match in pattern.finditer(text):
                multiplier = match.group(2) if pattern.groups >= 2 else None
                amount = to_number(match.group(1), multiplier)
                ranged = bool(re.search(r"\d\s*(?:-|–|—|to)\s*\$?\s*[\d.]", match.group(0)))
                found.append((match.start(), payment_type, amount, ranged, match.group(0)))
    for match in _CENT_RATE.finditer(text):
        found.append(
            (match.start(), "PAY_PER_LABEL", to_number(match.group(1)) / 100, False, match.group(0))
        )
    for match in _FOREIGN_RATE.finditer(text):
        kind = "PAY_PER_HOUR" if match.group(3) else "PAY_PER_LABEL"
        result.skip(
            path, "Rates are stored in USD; this one is in another currency.", match.group(0)
        )
        if not found and "paymentType" not in result.fields:
            result.guess("paymentType", kind, "Inferred from a rate in another currency.")
    if found:
        found.sort(key=lambda item: item[0])
        _, payment_type, amount, ranged, shown = found[0]
        result.fields["paymentType"] = payment_type
        if amount > 0:
            result.fields[_rate_key(payment_type)] = amount
        if ranged:
            result.warnings.append(
                {
                    "code": "RATE_RANGE",
                    "message": f"Pay range found ({shown.strip()}); its lower bound was used.",
                }
            )
            result.low_confidence.append(
                {
                    "field": _rate_key(payment_type),
                    "value": amount,
                    "reason": "Lower bound of a range.",
                }
            )
        others = {p for _, p, _, _, _ in found[1:] if p != payment_type}
        if others:
            result.warnings.append(
                {
                    "code": "MULTIPLE_PAYMENT_TYPES",
                    "message": "Several kinds of pay were mentioned; the first one was used.",
                }
            )
        return
    if "paymentType" in result.fields:
        return
    mentions = [
        (m.start(), kind) for kind, pattern in _PAYMENT_KEYWORDS if (m := pattern.search(text))
    ]
    if mentions:
        mentions.sort()
        result.fields["paymentType"] = mentions[0][1]


def _rate_key(payment_type: str) -> str:
    return {"PAY_PER_HOUR": "pricePerHour", "PAY_PER_LABEL": "pricePerLabel"}.get(
        payment_type, "fixedPrice"
    )


def _languages(text: str, result: ParseResult) -> None:
    names: list[str] = []
    for match in geo.language_pattern().finditer(text):
        name = geo.language_for_match(match.group(1))
        if name not in names:
            names.append(name)
    if names:
        result.fields["languages"] = names


def _countries(text: str, result: ParseResult) -> None:
    codes: list[str] = []
    for match in geo.country_pattern().finditer(text):
        code = geo.country_for_match(match.group(1))
        if code and code not in codes:
            codes.append(code)
    if codes:
        result.fields["countries"] = codes


def _headcount(text: str, result: ParseResult, path: str) -> None:
    for pattern in _HEADCOUNT:
        match = pattern.search(text)
        if not match:
            continue
        raw = match.group(1).lower()
        raw = re.sub(r"\s+", " ", raw)
        count = _NUMBER_WORDS.get(raw)
        if count is None:
            count = int(raw.replace(",", ""))
        if 1 <= count <= MAX_HEADCOUNT:
            result.fields["headcount"] = count
        else:
            result.skip(path, f"A headcount must be between 1 and {MAX_HEADCOUNT}.", match.group(0))
        return


def _volume(text: str, result: ParseResult, path: str) -> None:
    specific: list[tuple[int, str | None, int | float, str]] = []
    vague: list[tuple[int, str | None, int | float, str]] = []
    for unit, pattern in _VOLUMES:
        for match in pattern.finditer(text):
            if _WORKER_RE.search(match.group(0)) or re.search(r"\bper\s*$", text[: match.start()]):
                # "10 annotators label images" is a headcount; "$5 per 1,000 images" a rate.
                continue
            amount = to_number(match.group(1), match.group(2))
            (specific if unit else vague).append((match.start(), unit, amount, match.group(0)))
            break
    # A quantity with a known unit beats one whose unit is unclear ("20,000 samples").
    pool = specific or vague
    if not pool:
        return
    _, unit, amount, shown = min(pool, key=lambda candidate: candidate[0])
    if not 0 < amount <= 1e12:
        result.skip(path, "The data volume is out of range.", shown)
        return
    result.fields["dataVolume"] = amount
    if unit is not None:
        result.fields["dataVolumeUnit"] = unit
    else:
        result.low_confidence.append(
            {
                "field": "dataVolume",
                "value": amount,
                "reason": f"No unit could be read from '{shown.strip()}'.",
            }
        )


def _experience(text: str, result: ParseResult) -> None:
    hits = [
        (m.start(), level, exact)
        for level, pattern, exact in _EXPERIENCE
        if (m := pattern.search(text))
    ]
    if not hits:
        return
    hits.sort(key=lambda hit: hit[0])
    _, level, exact = hits[0]
    if exact:
        result.fields["experienceLevel"] = level
    else:
        result.guess("experienceLevel", level, "Inferred from the wording of the description.")


def _extras(text: str, result: ParseResult) -> None:
    label_types = [name for name, pattern in _LABEL_TYPES if pattern.search(text)]
    if label_types:
        result.fields["labelTypes"] = label_types
    tools: list[str] = []
    for match in _TOOL_RE.finditer(text):
        tool = next(t for t in _TOOLS if t.lower() == match.group(1).lower())
        if tool not in tools:
            tools.append(tool)
    if tools:
        result.fields["labelingSoftware"] = ", ".join(tools)
    for name, pattern in _DATA_TYPES:
        if pattern.search(text):
            result.fields["dataType"] = name
            break
