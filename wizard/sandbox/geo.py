"""Country and language reference data: ISO 3166-1 alpha-2 codes, names, and aliases."""

from __future__ import annotations

import re
from functools import cache

from wizard.refdata.countries import COUNTRIES as ISO_COUNTRIES

COUNTRIES = ISO_COUNTRIES

# Other ways people write a country in a job description.
COUNTRY_ALIASES: dict[str, str] = {
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "US": "US",
    "United States of America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "UAE": "AE",
    "Emirates": "AE",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "Cote d'Ivoire": "CI",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "Vatican": "VA",
    "Russian Federation": "RU",
    "Viet Nam": "VN",
    "Turkey": "TR",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "DR Congo": "CD",
    "DRC": "CD",
    "Sao Tome and Principe": "ST",
    "Curacao": "CW",
    "Reunion": "RE",
    "Aland Islands": "AX",
    "Hong Kong SAR": "HK",
    "Macau": "MO",
    "Mainland China": "CN",
    "PRC": "CN",
}

# Country names that are also common words or names in job descriptions ("Chad", "Jordan",
# "New Jersey", "the state of Georgia"); the parser ignores them to avoid false matches.
AMBIGUOUS_COUNTRY_WORDS = frozenset({"Chad", "Jordan", "Georgia", "Jersey", "Guinea", "Niger"})

# Language name -> ISO 639-1 code. Names are what drafts and marketplace facets use.
LANGUAGES: dict[str, str] = {
    "English": "en",
    "Spanish": "es",
    "French": "fr",
    "German": "de",
    "Italian": "it",
    "Portuguese": "pt",
    "Dutch": "nl",
    "Russian": "ru",
    "Chinese": "zh",
    "Mandarin": "zh",
    "Cantonese": "yue",
    "Japanese": "ja",
    "Korean": "ko",
    "Arabic": "ar",
    "Hindi": "hi",
    "Bengali": "bn",
    "Urdu": "ur",
    "Turkish": "tr",
    "Polish": "pl",
    "Ukrainian": "uk",
    "Vietnamese": "vi",
    "Thai": "th",
    "Indonesian": "id",
    "Malay": "ms",
    "Tagalog": "tl",
    "Filipino": "fil",
    "Swahili": "sw",
    "Hebrew": "he",
    "Greek": "el",
    "Swedish": "sv",
    "Norwegian": "no",
    "Danish": "da",
    "Finnish": "fi",
    "Czech": "cs",
    "Romanian": "ro",
    "Hungarian": "hu",
    "Tamil": "ta",
    "Telugu": "te",
    "Marathi": "mr",
    "Punjabi": "pa",
    "Gujarati": "gu",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Persian": "fa",
    "Yoruba": "yo",
    "Igbo": "ig",
    "Hausa": "ha",
    "Amharic": "am",
    "Catalan": "ca",
    "Serbian": "sr",
    "Croatian": "hr",
    "Bulgarian": "bg",
    "Slovak": "sk",
    "Slovenian": "sl",
    "Lithuanian": "lt",
    "Latvian": "lv",
    "Estonian": "et",
    "Afrikaans": "af",
    "Zulu": "zu",
    "Xhosa": "xh",
    "Somali": "so",
    "Nepali": "ne",
    "Sinhala": "si",
    "Burmese": "my",
    "Khmer": "km",
    "Lao": "lo",
}

LANGUAGE_ALIASES: dict[str, str] = {
    "Farsi": "Persian",
    "Brazilian Portuguese": "Portuguese",
    "Mandarin Chinese": "Mandarin",
    "Flemish": "Dutch",
    "Castilian": "Spanish",
}

# "Lao" is too short and too often part of other words to match in free text.
AMBIGUOUS_LANGUAGE_WORDS = frozenset({"Lao"})


def country_code(value: str) -> str | None:
    """The ISO-2 code for a code written in any case, or None when it is not a known code."""
    code = value.strip().upper()
    return code if code in COUNTRIES else None


def country_code_for_name(value: str) -> str | None:
    """The ISO-2 code for a country name or common alias (any case), or None."""
    key = value.strip().casefold()
    return _country_names_casefolded().get(key)


def canonical_language(value: str) -> str | None:
    """The canonical language name for a name, alias or ISO 639-1 code (any case), or None."""
    key = value.strip().casefold()
    return _language_lookup().get(key)


@cache
def _country_names_casefolded() -> dict[str, str]:
    names = {name.casefold(): code for code, name in COUNTRIES.items()}
    names.update({alias.casefold(): code for alias, code in COUNTRY_ALIASES.items()})
    return names


@cache
def _language_lookup() -> dict[str, str]:
    lookup = {name.casefold(): name for name in LANGUAGES}
    lookup.update({alias.casefold(): name for alias, name in LANGUAGE_ALIASES.items()})
    for name, code in LANGUAGES.items():
        # Mandarin and Chinese share "zh"; the code maps to the broader name.
        lookup.setdefault(code, name)
    return lookup


@cache
def country_pattern() -> re.Pattern[str]:
    """One regex matching any country name or alias in running text, longest names first.

    Matching is case-sensitive on purpose: "china" (porcelain) or "turkey" (the bird) in
    lower case are not countries, and upper-case codes such as "US" only count as written.
    """
    names = [n for n in COUNTRIES.values() if n not in AMBIGUOUS_COUNTRY_WORDS]
    names += list(COUNTRY_ALIASES)
    names.sort(key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    # Lookarounds instead of \b because some aliases end in a dot ("U.S.").
    return re.compile(rf"(?<![\w.])(?:the\s+)?({alternatives})(?![\w-])")


@cache
def language_pattern() -> re.Pattern[str]:
    """One regex matching any language name or alias in running text, longest first."""
    names = [n for n in LANGUAGES if n not in AMBIGUOUS_LANGUAGE_WORDS]
    names += list(LANGUAGE_ALIASES)
    names.sort(key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"\b({alternatives})\b")


def country_for_match(matched: str) -> str | None:
    """Map a name matched by `country_pattern` back to its ISO-2 code."""
    if matched in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[matched]
    return _country_by_exact_name().get(matched)


@cache
def _country_by_exact_name() -> dict[str, str]:
    return {name: code for code, name in COUNTRIES.items()}


def language_for_match(matched: str) -> str:
    """Map a name matched by `language_pattern` to its canonical language name."""
    return LANGUAGE_ALIASES.get(matched, matched)
