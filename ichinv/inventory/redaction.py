"""Findings and texts as the public may read them, by the audience view's decision.

A finding about a withheld part, or quoting withheld text, loses its words; `withheld_texts`
lists every text a public view withholds, for checks that an output leaks nothing. Changes
between versions of a record: ichinv.inventory.changes_view.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.catalogue import CATALOGUE, WITHHELD
from ichinv.core.contacts import may_be_contact, without_contacts
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.quoted import RECORD_PATH, quoted_values
from ichinv.core.vocabulary import (
    PUBLIC_IDENTIFICATION,
    is_element_id,
    is_province_id,
    reads_as_field_name,
    reads_as_key,
)
from ichinv.inventory import record_files, record_folders
from ichinv.inventory.audience import (
    WHOLE_RECORD,
    Why,
    Withheld,
    WithheldPart,
    record_data,
    withheld_parts,
    withheld_whole,
)
from ichinv.inventory.plaindata import keys, overlaps, plain, replace_at
from ichinv.inventory.policy import DEFAULT_POLICY, Policy
from ichinv.inventory.unreadable import named_by, naming
from ichinv.inventory.withheld_words import (
    said_plainly,
    unknown_key_unquoted,
    unquoted,
    vocabulary_hint,
)
from ichinv.schemas.shape import unknown_parts

_TOKEN = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
"""Vocabulary values (`bearer`, `community-representative`): public words, not withheld text."""


def _hidden(
    pointer: str,
    parts: Iterable[WithheldPart],
    *,
    whole_keeps: frozenset[str] = PUBLIC_IDENTIFICATION,
) -> bool:
    return hidden(pointer, [part.pointer for part in parts], whole_keeps=whole_keeps)


def hidden(
    pointer: str,
    withheld: Iterable[str],
    *,
    whole_keeps: frozenset[str] = PUBLIC_IDENTIFICATION,
) -> bool:
    """Whether `pointer` names something inside (or holding) one of the `withheld` parts
    (pointers; `*` for everything but `whole_keeps`)."""
    for part in withheld:
        if part == WHOLE_RECORD:
            top = keys(pointer)[:1]
            if not top or top[0] not in whole_keeps:
                return True
        elif overlaps(pointer, part):
            return True
    return False


def covering(pointer: str, withheld: Iterable[str], personal: Iterable[str] = ()) -> str | None:
    """The pointer of the withheld part (of `withheld`, pointers with `*` for all but the
    identification; or a personal-data prefix) holding `pointer` (the pointer itself when it
    holds a withheld part); None when nothing withheld is involved."""
    segments = keys(pointer)
    for prefix in personal:
        if overlaps(pointer, prefix):
            return prefix if len(keys(prefix)) <= len(segments) else pointer
    for part in withheld:
        if part == WHOLE_RECORD:
            if segments and segments[0] not in PUBLIC_IDENTIFICATION:
                return "/" + pointers.escape(segments[0])
        elif overlaps(pointer, part):
            return part if len(keys(part)) <= len(segments) else pointer
    return None


POINTERS_ONLY = ("privacy.",)
"""Rules whose messages name fields only, never a value: their words are kept (unless they
quote withheld text after all)."""

PLACE_ONLY = ("yaml.comment-in-text",)
"""Rules whose messages say nothing of the record, only of how a line is written: their words
are kept where the place is withheld (unless they quote withheld text), the place cut back."""


def unquoted_finding(
    finding: Finding,
    data: Mapping[str, Any] | None,
    *,
    policy: Policy = DEFAULT_POLICY,
    kind: RecordKind = RecordKind.ELEMENT,
    parts: Sequence[WithheldPart] | None = None,
) -> Finding:
    """`finding` as every report may show it (validate in every format, CI summaries, packets):
    a finding about personal data or a listed restricted part, or whose words quote a withheld
    text (for the contact it holds too: a mixed-script warning quoted a name beside a phone
    number), keeps its rule and place, not its words (`parts`: `withheld_parts`, if known)."""
    if data is None:
        return finding
    parts = withheld_parts(data, kind=kind, policy=policy) if parts is None else parts
    listed = [p for p in parts if p.pointer != WHOLE_RECORD]
    # A part not in the schema's form is not withheld for what it is, but for what it might
    # hold: a finding about it keeps its words unless they quote a text inside it.
    about_withheld = (
        bool(finding.pointer)
        and not finding.rule.startswith(POINTERS_ONLY)
        and _hidden(finding.pointer, [p for p in listed if not (p.contact or p.why is Why.UNKNOWN)])
    )
    held = {t for p in listed if p.contact and isinstance(t := pointers.at(data, p.pointer), str)}
    secrets = withheld_texts(data, kind=kind, policy=policy) | held
    if finding.rule in PLACE_ONLY and not _quotes(finding, secrets):
        return replace(finding, pointer=_shown_pointer(finding.pointer, listed, policy, kind))
    # A finding at a text holding a contact says its rule plainly, as at any withheld value
    # (its words name the value "…" when they quote the contact: ichinv.core.contacts).
    at_contact = bool(finding.unquoted) and any(
        p.contact and overlaps(finding.pointer, p.pointer) for p in listed
    )
    if not about_withheld and not at_contact and not _quotes(finding, secrets):
        return finding
    # The place is named down to the withheld part only: a key inside it may be data too.
    shown = _shown_pointer(finding.pointer, listed, policy, kind)
    if not about_withheld and shown == finding.pointer:
        # The value is not quoted (it may be anything), but the rule is the schema's: said
        # plainly without the value, the place named as the finding names it.
        unfit = any(
            p.why is Why.UNKNOWN and (p.pointer == WHOLE_RECORD or overlaps(shown, p.pointer))
            for p in parts
        )
        plainly = said_plainly(finding, unfit=unfit)
        if plainly is not None and _quotes(plainly, secrets):
            plainly = replace(plainly, hint=None)  # a hint that quotes it (`rename to …`)
        if plainly is not None and not _quotes(plainly, secrets):
            return plainly
    if finding.rule == "schema.additionalProperties" and finding.at_key and not about_withheld:
        # The key is not named, but what holds it is, and what the rule asks.
        holder = pointers.join(pointers.split(finding.pointer)[:-1])
        held_in = _shown_pointer(holder, listed, policy, kind)
        return unknown_key_unquoted(finding, held_in)
    hidden = unquoted(finding, shown)
    if finding.rule == "schema.enum" and not about_withheld:
        # A value outside the vocabulary is not quoted (it may be anything), but the words
        # the field allows are the schema's, and so is the one closest to the value.
        return replace(hidden, hint=vocabulary_hint(data, finding.pointer, policy, kind))
    return hidden


def unquoted_findings(
    findings: Iterable[Finding],
    data: Mapping[str, Any] | None,
    *,
    policy: Policy = DEFAULT_POLICY,
    kind: RecordKind = RecordKind.ELEMENT,
) -> list[Finding]:
    """`unquoted_finding` of each of `findings`, those it makes the same one once: two fields
    missing from a withheld part (`latitude` and `longitude` of restricted coordinates) are
    one finding at that part, which names neither (nor how many: how the part is made up is
    not told), where two alike lines read as a report repeating itself."""
    if data is None or not (findings := list(findings)):
        return list(dict.fromkeys(findings))
    parts = withheld_parts(data, kind=kind, policy=policy)  # once: a search of every text
    return list(
        dict.fromkeys(
            unquoted_finding(f, data, policy=policy, kind=kind, parts=parts) for f in findings
        )
    )


def nameable(pointer: str) -> str:
    """The leading part of `pointer` a message may name: keys written as field names, list
    indices and language tags; from the first other key on (an e-mail address, a person's name)
    nothing is named."""
    kept: list[str] = []
    for part in pointers.split(pointer):
        if not (reads_as_key(part) or pointers.is_index(part)):
            break
        kept.append(part)
    return pointers.join(kept)


def _shown_pointer(
    pointer: str,
    parts: Iterable[WithheldPart],
    policy: Policy,
    kind: RecordKind = RecordKind.ELEMENT,
) -> str:
    """`pointer`, cut back to the withheld part that holds it (nothing inside a withheld part
    is named: its keys may be personal data), and to what a message may name (`nameable`)."""
    if not pointer or not policy.knows(kind, keys(pointer)[0]):
        return ""
    personal = [pattern_prefix(p) for p in policy.personal_fields(kind)]
    return nameable(covering(pointer, [p.pointer for p in parts], personal) or pointer)


def public_finding(
    finding: Finding, data: Mapping[str, Any] | None, *, policy: Policy = DEFAULT_POLICY
) -> Finding:
    """`finding` as a public packet shows it: nothing about a withheld part at all, not even
    that a field is missing (a record withheld as a whole keeps only findings about its
    identification), and no quoted withheld text. Such a finding keeps its severity and its
    place, but neither its words nor its rule (catalogue.WITHHELD): `consent.withdrawn` would
    say in which state consent is, where the public view says only that it is not given; so
    would a rule that `tells` of a withheld part from a public place (`access.consent`). Of a
    record withheld as a whole, such a finding keeps no line and column either: where in the
    file it lies would name the field (the consent's line, in a record whose consent was
    withdrawn)."""
    if data is None:
        return finding
    parts = withheld_parts(data, policy=policy, contacts=False)
    rule = CATALOGUE.get(finding.rule)
    told = (finding.pointer, *(rule.tells if rule else ()))
    about_withheld = any(_hidden(pointer, parts) for pointer in told if pointer)
    if about_withheld or _quotes(finding, withheld_texts(data, policy=policy)):
        whole = withheld_whole(parts)
        return replace(
            finding,
            rule=WITHHELD,
            pointer=_shown_pointer(finding.pointer, parts, policy),
            message=_("a problem in a withheld part of the record (the committee packet shows it)"),
            hint=None,
            line=None if whole else finding.line,
            column=None if whole else finding.column,
        )
    return finding


def _quotes(finding: Finding, secrets: Iterable[str]) -> bool:
    """Whether the finding's words or the keys of its place quote a withheld text, whole or
    cut short (a long value is shown by its beginning), as it is or escaped as messages quote
    values (JSON); or its words quote a word of one (`_parts`: a word of a restricted
    description a mixed-script warning quotes)."""
    secrets = tuple(secrets)
    words = f"{finding.message}\n{finding.hint or ''}"
    parts = _parts(words)
    # and the keys its place names: a key may be data too (an e-mail address as a field)
    words += "\n" + "\n".join(keys(finding.pointer))
    return any(
        form in words or (len(form) > 20 and form[:20] in words)
        for secret in secrets
        for form in {secret, json.dumps(secret, ensure_ascii=False)[1:-1]}
    ) or any(part.search(secret) for part in parts for secret in secrets)


def _parts(words: str) -> list[re.Pattern[str]]:
    """The values `words` quote that a withheld text may hold as a word of its own: at least
    QUOTED_PART long, and not a vocabulary word (`activ`, `oral-tradition`: the schema's words,
    and a typo of one, are no one's secret, and are in many texts)."""
    found = {v.strip() for v in quoted_values(words, marks="'\"«")}
    return [
        re.compile(rf"(?<!\w){re.escape(v)}(?!\w)")
        for v in found
        if len(v) >= QUOTED_PART and not _TOKEN.match(v)
    ]


QUOTED_PART = 3
"""The shortest value a message quotes that is looked for inside withheld texts (a letter in
another script, `'а'`, is quoted alone, and is in every text)."""


def withheld_texts(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    shortest: int = 3,
    only: Iterable[Why] | None = None,
) -> frozenset[str]:
    """Every text (and number, as text) a public view withholds, at least `shortest` long
    (`only`: in the parts withheld for these reasons). For checks that a rendering leaks
    nothing: tests, the scrubbing of finding messages, and the values of changes that quote
    what a newer version withholds."""
    by_why = withheld_texts_by_why(record, kind=kind, policy=policy, shortest=shortest)
    wanted = set(by_why if only is None else only)
    return frozenset().union(*(texts for why, texts in by_why.items() if why in wanted))


def withheld_texts_by_why(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    shortest: int = 3,
) -> dict[Why, frozenset[str]]:
    """`withheld_texts` by the reason of the parts holding them, in one walk of the record."""
    data, kind = record_data(record, kind)
    found: dict[Why, set[str]] = {}
    for part in withheld_parts(data, kind=kind, policy=policy, contacts=False):
        if part.pointer == WHOLE_RECORD:
            values: list[Any] = [v for k, v in data.items() if k not in PUBLIC_IDENTIFICATION]
        else:
            values = [v for __, v in pointers.matches(data, part.pointer)]
        if part.why is Why.UNKNOWN:  # a key the schema does not know may be data (an e-mail)
            names = [str(k) for k in data if not policy.knows(kind, str(k))]
            names += [str(k) for v in values for k in _keys(v)]
            values.append([k for k in names if not reads_as_field_name(k)])
        else:  # so may a key inside what is withheld (a person's name under `viability`)
            names = [str(k) for v in values for k in _keys(v)]
            if part.pointer == WHOLE_RECORD:
                names += [str(k) for k in data if not policy.knows(kind, str(k))]
            values.append([k for k in names if not reads_as_key(k)])
        for value in values:
            for leaf in pointers.leaves(value):
                if isinstance(leaf, Withheld):
                    continue  # a note where a part is kept elsewhere (the overlay): no text of it
                text = str(leaf).strip()
                if len(text) >= shortest and not isinstance(leaf, bool) and not _TOKEN.match(text):
                    found.setdefault(part.why, set()).add(text)
    return {why: frozenset(texts) for why, texts in found.items()}


def in_shape(record: Record, *, policy: Policy = DEFAULT_POLICY) -> Record:
    """`record` with every part not in its schema's shape replaced by a note (top-level keys
    the schema does not know left out): what reports that count and tabulate values read, so
    that no value outside the vocabulary (an e-mail address as a domain) becomes a row of
    their tables, whatever else the record withholds."""
    shape = policy.shapes.get(record.kind)
    found = list(unknown_parts(record.data, shape)) if shape is not None else []
    if not found:
        return record
    data = plain(record.data)
    for pointer in found:
        if pointer:
            replace_at(data, pointer, Withheld(Why.UNKNOWN))
    policy.drop_unknown(record.kind, data)
    return replace(record, data=data)


def pattern_prefix(pattern: str) -> str:
    """The part of a pattern before its first `*` (what every match lies inside)."""
    parts = pattern.split("/*", 1)[0]
    return parts or "/"


def _keys(value: Any) -> Iterator[Any]:
    """Every mapping key inside `value`."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            yield from node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""A file name written as a word or a slug (`aitys`, `kz-2013-0002-draft`): no one's name."""


_RECORD_FOLDERS = frozenset(kind.folder for kind in RecordKind)
"""`elements`, `provinces`: a finding on a records folder itself names it."""


def public_path(path: str) -> str:
    """A path in a records folder as public output may print it: whole when it is the folder
    or a file directly in it whose name is an id's form (`elements/KZ-2013-0001.yaml`) or a
    plain lower-case word or slug with nothing in it that may be a contact
    (`elements/aitys.yaml`, a name the history keeps), else its folder only (`elements/…`);
    deeper in (a folder inside elements/, a record moved there), the folders between are never
    named, and the last part only when it is an id's (`elements/…/KZ-2013-0001.yaml`): a
    file's or folder's name may be anything, a person's name or an e-mail address too."""
    if path in _RECORD_FOLDERS:
        return path
    folder, __, name = path.rpartition("/")
    if "/" not in folder:
        if _names_an_id(name) or (
            name.endswith(".yaml")
            and _PLAIN_NAME.fullmatch(name[:-5])
            and not may_be_contact(name[:-5])
        ):
            return path
        return f"{folder}/…" if folder else "…"
    top = path.partition("/")[0]
    top = top if top in _RECORD_FOLDERS else "…"
    return f"{top}/…/{name}" if _names_an_id(name) else f"{top}/…"


def _names_an_id(name: str) -> bool:
    stem = name.removesuffix(".yaml")
    return is_element_id(stem) or is_province_id(stem)


NOT_NAMED = N_(
    "no record is read from it, and its name is not shown (the name of a file or folder may "
    "be anyone's)"
)
NOT_NAMED_READ = N_(
    "the record in this file breaks this rule; the file's name is not shown (the name of a "
    "file or folder may be anyone's)"
)
NOT_NAMED_HINT = N_("`ichinv validate` names it and says what is wrong")
NOT_FOLLOWED = N_(
    "no record is read from it: it is a symbolic link leading out of the inventory; where it "
    "leads is not shown (a folder's name may be anyone's)"
)


def _quotes_a_target(message: str) -> bool:
    """Whether `message` is one of the words that quote where a link leads."""
    for template in (record_files.LEADS_OUT, record_folders.LEADS_OUT):
        pattern = re.escape(_(template))
        for name in ("folder", "rel", "target"):
            pattern = pattern.replace(re.escape("{" + name + "}"), ".*")
        if re.search(pattern, message, re.DOTALL):  # in the words of `naming` too
            return True
    return False


def public_problem(finding: Finding, *, read: bool = False) -> Finding:
    """A problem with a record file (one that could not be read, or not named for its id) as
    public output may keep it: named by `public_path`. When that does not show the path whole,
    its words are NOT_NAMED, made from nothing of its own (the finding's own words
    may quote the name, a contact in it half masked already, so that no substitution finds
    it); words that quote where a link leads (a path of someone's machine) are NOT_FOLLOWED;
    else its own words, with any other record file they name by its `public_path` and
    whatever in them may still be a contact hidden (`id.unique` names the other file). Two
    files shown by one name stay two (`Finding.file_key`). `read`: a finding of a rule about a
    record that was read, whose words then say so (NOT_NAMED_READ), not that none was."""
    if finding.path.partition("/")[0] not in _RECORD_FOLDERS:
        # Not about a file of the records (a baseline git cannot give: its name is the
        # settings'): only what in its words may be a contact is hidden.
        shown = without_contacts(finding.path)
        return replace(
            finding,
            path=shown,
            message=without_contacts(finding.message),
            hint=without_contacts(finding.hint) if finding.hint else None,
            file_key=_file_key(finding, shown),
        )
    shown = public_path(finding.path)
    if shown != finding.path:
        public = replace(
            finding,
            path=shown,
            message=_(NOT_NAMED_READ if read else NOT_NAMED),
            hint=_(NOT_NAMED_HINT),
            file_key=_file_key(finding, shown),
        )
        element_id = named_by(finding)  # an element's id is public: "the record of KZ-…"
        return naming(element_id, public) if element_id is not None else public

    if _quotes_a_target(finding.message):  # a path of someone's machine: none of it public
        public = replace(finding, message=_(NOT_FOLLOWED), hint=_(NOT_NAMED_HINT))
        element_id = named_by(finding)
        return naming(element_id, public) if element_id is not None else public

    def words(text: str) -> str:
        return without_contacts(_paths_shown(text, finding.path))

    message, hint = words(finding.message), words(finding.hint) if finding.hint else None
    if (message, hint) == (finding.message, finding.hint):
        return finding
    return replace(finding, message=message, hint=hint)


_RUN_KEY = secrets.token_bytes(32)
"""The key of this run's `_file_key` digests: made anew each run, so that no digest can be
matched with a name's."""


def _file_key(finding: Finding, shown: str) -> str:
    """The `file_key` of `finding` shown at `shown`: its own, when it has one or `shown` is its
    path; else a keyed digest of its path (equal for one file, different for two)."""
    if finding.file_key or shown == finding.path:
        return finding.file_key
    path = finding.path.encode("utf-8", "surrogatepass")
    return "#" + hashlib.blake2b(path, key=_RUN_KEY, digest_size=16).hexdigest()


def _paths_shown(text: str, own: str) -> str:
    """`text` with each record file it names by its `public_path`. The problem's own path
    (`own`, shown whole) is read first where it stands as a word: a name may hold spaces, so
    that a path read up to the next `.yaml` would take the words after one not ending so
    (`elements/KZ-2013-0002 is not a .yaml record file`) for part of its name."""
    ends = r"(?=$|[\s'\"`«»]|[.,;:!?)](?:$|\s))"
    pattern = re.compile(rf"{re.escape(own)}{ends}|{RECORD_PATH.pattern}")
    return pattern.sub(lambda m: m.group() if m.group() == own else public_path(m.group()), text)
