"""The vocabulary of the inventory: every enumeration, identifier pattern and fixed set, once.

The record schemas (`schema/*.schema.json`) are the inventory's data and say what a record may
hold; these are the values ichinv's own code relies on (filters, counts, tables, packets),
with the further ones that reports count by in ichinv.core.tally. tests/core/test_vocabulary.py
checks that the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum


class Lang(StrEnum):
    """The languages ichinv writes in (labels, packets, documentation) and reads record text in."""

    EN = "en"
    KK = "kk"
    RU = "ru"


ENDONYMS: Mapping[str, str] = {"en": "English", "kk": "Қазақша", "ru": "Русский"}
"""Each language's name for itself (language switchers, documentation indexes)."""

FALLBACK: Mapping[str, tuple[str, ...]] = {
    "en": ("ru", "kk"),
    "kk": ("ru", "en"),
    "ru": ("kk", "en"),
}
"""Languages whose record text stands in, in order, when a text is missing in the language
asked for; then any other language the record has, alphabetically. Every output follows it."""

NAME_LANGUAGES = ("kk", "ru", "en")
"""Languages of an element's `names`, in the order records write them (kk and ru required)."""

REQUIRED_NAME_LANGUAGES = ("kk", "ru")
"""Languages every element must be named in (SPEC)."""


class Domain(StrEnum):
    """Domains of intangible cultural heritage (Convention Art. 2.2 a–e), in the Convention's
    order."""

    ORAL_TRADITIONS = "oral-traditions"
    PERFORMING_ARTS = "performing-arts"
    SOCIAL_PRACTICES = "social-practices"
    KNOWLEDGE_NATURE = "knowledge-nature"
    CRAFTSMANSHIP = "craftsmanship"


DOMAINS = tuple(d.value for d in Domain)
"""The domains in the Convention's order."""


class Category(StrEnum):
    """National categories of the 2024 list (Order No. 211-нқ)."""

    I = "I"  # noqa: E741 - the category's own name
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"


class Status(StrEnum):
    """Status of an element in the inventory: elements are retired or merged, never deleted."""

    ACTIVE = "active"
    RETIRED = "retired"
    MERGED = "merged"


class Consent(StrEnum):
    """States of the free, prior and informed consent of the communities."""

    GIVEN = "given"
    PENDING = "pending"
    WITHDRAWN = "withdrawn"
    NOT_SOUGHT = "not-sought"


class Access(StrEnum):
    """Access levels (customary restrictions, Convention Art. 13(d)(ii))."""

    PUBLIC = "public"
    RESTRICTED = "restricted"


class Viability(StrEnum):
    """Viability of an element as assessed with its communities."""

    VIABLE = "viable"
    AT_RISK = "at-risk"
    IN_DANGER = "in-danger"
    UNKNOWN = "unknown"


class SourceList(StrEnum):
    """Lists and documents an element's provenance can cite."""

    ORDER_50_2013 = "order-50-2013"
    NATIONAL_LIST_2017 = "national-list-2017"
    ORDER_211_2024 = "order-211-2024"
    ICHLINKS = "ichlinks"
    UNESCO = "unesco"
    COMMUNITY_INVENTORY = "community-inventory"
    OTHER = "other"


# --- identifiers ---------------------------------------------------------------------------------

ELEMENT_ID_PATTERN = r"^KZ-(19|20)[0-9]{2}-[0-9]{4}$"
"""An element id, `KZ-YYYY-NNNN`: YYYY is the year the element entered the national inventory
(the pattern of `element_id` in the element schema)."""

PROVINCE_ID_PATTERN = r"^KZ-([0-9]{2}|[A-Z]{3})$"
"""A province id: the ISO 3166-2 code of a current unit (`KZ-31`), or an alphabetic code of a
unit as it stood in 2013 (`KZ-YUZ`) (the pattern of `province_id` in the schemas)."""

ELEMENT_ID = re.compile(r"^KZ-((?:19|20)[0-9]{2})-([0-9]{4})$")
"""ELEMENT_ID_PATTERN with the year and the sequence number as groups."""

PROVINCE_ID = re.compile(PROVINCE_ID_PATTERN)

MAX_SEQUENCE = 9999
"""The largest sequence number of an element id (four digits)."""

DOCUMENTATION_FOLDER = "documentation"
"""Folder (in the repository, or in the private overlay) of documentation files, one
`<id>/` folder per element."""
EVIDENCE_FOLDER = "evidence"
"""Folder of consent evidence, one `<id>/` folder per element (in the overlay when the
repository is public)."""
ATTACHMENT_FOLDERS = (DOCUMENTATION_FOLDER, EVIDENCE_FOLDER)
"""The folders whose `<id>/` folders hold an element's files (`import --from odk` fills them)."""


_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
"""Dashes that look like `-` (packets print ids with non-breaking hyphens; word processors
turn hyphens into dashes)."""


def typed_id(text: str) -> str:
    """An id as the inventory spells it, from one typed or copied by a person (`kz‑23 ` →
    `KZ-23`): any dash is a hyphen, spaces around it go, letters are capitals. An id copied
    from a packet, a letter or a spreadsheet cell still names its record."""
    return text.translate(_DASHES).strip().upper()


def is_element_id(text: object) -> bool:
    """Whether `text` is an element id."""
    return isinstance(text, str) and ELEMENT_ID.fullmatch(text) is not None


def is_province_id(text: object) -> bool:
    """Whether `text` is a province id (any other text, an e-mail address too, is no id to
    show or quote)."""
    return isinstance(text, str) and PROVINCE_ID.fullmatch(text) is not None


def element_year(element_id: str) -> int | None:
    """The year in an element id (the year it entered the inventory); None if not an id."""
    found = ELEMENT_ID.fullmatch(element_id)
    return int(found.group(1)) if found else None


# --- fixed sets of fields -----------------------------------------------------------------------

_FIELD_NAME = re.compile(r"[a-z][a-z_-]{0,39}")


def reads_as_field_name(key: str) -> bool:
    """Whether a key is written as the inventory's field names are (`names`, `status_change`,
    `restricted_parts`): such a key may be quoted in a message, for the editor to find it; any
    other (an e-mail address, a phone number, a person's name) may be personal data, and
    messages name only its place."""
    return bool(_FIELD_NAME.fullmatch(key))


def shown_word(value: object) -> str:
    """A value of a field whose values are words (a status) as a message may show it: as
    written when it reads as such a word (`reads_as_field_name`: `retird`), else `…` (text
    not in that form may be anything, a contact too)."""
    return value if isinstance(value, str) and reads_as_field_name(value) else "…"


LANGUAGE_TAG_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$"
"""A language tag (`kk`, `kk-Latn`, `zh-Hans-CN`; the pattern of `lang` in the schemas)."""
_LANGUAGE_TAG = re.compile(LANGUAGE_TAG_PATTERN)


def is_language_tag(text: object) -> bool:
    """Whether `text` is a language tag (no other text is counted as a language)."""
    return isinstance(text, str) and _LANGUAGE_TAG.fullmatch(text) is not None


def reads_as_key(key: str) -> bool:
    """Whether a key is written as the inventory's field names (`reads_as_field_name`) or as
    a language tag (`kk`, `kk-Latn`) are: the keys a message may name or print."""
    return reads_as_field_name(key) or is_language_tag(key)


PUBLIC_IDENTIFICATION: frozenset[str] = frozenset(
    {"id", "names", "domains", "national_category", "provinces", "status", "access"}
)
"""Top-level fields a public view keeps of a restricted record that lists no restricted parts
(everything else is withheld): what identifies the element and says that it is withheld."""

TOLD_WHEN_ABSENT: tuple[str, ...] = ("consent", "access")
"""Fields a public view of a record withheld as a whole holds even where the record lacks
them, as the note of why: every public output shows an element's consent state and access
level (`list`, `progress`, the columns of an export), and an empty one would tell that none is
recorded, where any other state is told as `withheld` (never in which state consent is, none
recorded included: ichinv.inventory.audience). A record without `access` is withheld as a
whole (its access cannot be read), and its access level is told so too."""

KEPT_IN_PUBLIC_REPOSITORY: frozenset[str] = PUBLIC_IDENTIFICATION | frozenset(
    {"schema_version", "consent", "provenance", "suppressions"}
)
"""Fields a wholly restricted record may keep in a public repository: its public
identification and its own bookkeeping (consent, provenance, format, suppressions)."""

# --- dates of the revision ---------------------------------------------------------------------

REVISION_CYCLE_START = "2024-05-28"
"""The revision cycle began with the 2024 list (Order No. 211-нқ of 28 May 2024): elements that
entered after it are new; viability assessed since then was assessed this cycle."""


MAX_INT_DIGITS = 100
"""Longest integer a record may hold, in digits, whatever it is read from (YAML, JSON, a
cell): records need four; Python refuses to read more than 4,300, and a number of a million
digits takes seconds to convert."""
