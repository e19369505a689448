"""The words of a finding that may not quote what the public view of its record withholds.

ichinv.inventory.redaction decides, by the audience view's decision, that a finding may not
keep its own words. Where the finding knows them without the value (`Finding.unquoted`: a
schema finding's, `status` is not one of the allowed values: active, …), it says the rule so,
with a note that the value itself is not shown; else it names the field and says that what it
holds is not shown. Found by an outside review: `status: Active` and other ordinary mistakes
read "the value at /status breaks this rule; its value is not quoted", which named no rule,
gave a JSON pointer, and read as "add quotation marks".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, RecordKind
from ichinv.inventory.plaindata import keys
from ichinv.inventory.policy import Policy
from ichinv.schemas.naming import field_name

UNQUOTED_MESSAGE = N_(
    "{where} does not meet this rule; what it holds is not shown here, because the public view "
    "of the record withholds it"
)
UNQUOTED_HINT = N_("open the record to see it: reports never show contacts or restricted parts")

NOT_SHOWN_UNFIT = N_(
    "the value itself is not shown here: the public view of a record withholds values that do "
    "not fit the schema"
)
"""The note after a rule said plainly, when the value is withheld for not fitting the schema."""
NOT_SHOWN = N_("the value itself is not shown here: the public view of the record withholds it")
"""The note after a rule said plainly, when the value is withheld for another reason."""


def unquoted(finding: Finding, pointer: str) -> Finding:
    """`finding` without its words, naming the place `pointer` only, as editors name a field
    (its line is kept)."""
    return _said_of(
        finding, pointer, _(UNQUOTED_MESSAGE), _(UNQUOTED_HINT), _("a value of the record")
    )


UNKNOWN_KEY_MESSAGE = N_(
    "{where} holds a field the schema does not know; its name is not shown here, because a "
    "field outside the schema may hold what the public view of the record withholds"
)
UNKNOWN_KEY_HINT = N_(
    "open the record at this line: give the field a name the schema knows (the field "
    "documentation lists them), move it to where it belongs, or remove it"
)


def unknown_key_unquoted(finding: Finding, pointer: str) -> Finding:
    """`finding` of a key the schema does not know, without the key (it may be data: an e-mail
    address typed where a field's name goes), naming the group of fields at `pointer` that
    holds it (its line is kept)."""
    said = _said_of(finding, pointer, _(UNKNOWN_KEY_MESSAGE), _(UNKNOWN_KEY_HINT), _("the record"))
    return replace(said, at_key=True)


def _said_of(finding: Finding, pointer: str, message: str, hint: str, whole: str) -> Finding:
    """`finding` saying `message` of the place `pointer` (`{where}`: the field as editors name
    it, `whole` for the record itself), with `hint`, and nothing of its own words."""
    where = field_name(pointer) if pointer else whole
    return replace(
        finding, pointer=pointer, message=message.format(where=where), hint=hint, unquoted=None
    )


def said_plainly(finding: Finding, *, unfit: bool) -> Finding | None:
    """`finding` with its rule said without the value (`Finding.unquoted`) and a note why the
    value is not shown (`unfit`: it does not fit the schema); None when the finding does not
    know how to say it so."""
    if not finding.unquoted:
        return None
    note = _(NOT_SHOWN_UNFIT if unfit else NOT_SHOWN)
    return replace(
        finding,
        message=_("{message} ({note})").format(message=finding.unquoted, note=note),
        unquoted=None,
    )


def vocabulary_hint(
    data: Mapping[str, Any], pointer: str, policy: Policy, kind: RecordKind
) -> str | None:
    """ "did you mean …? allowed values: …" for a field whose value is not one of its words."""
    from ichinv.schemas.explain import suggest
    from ichinv.schemas.naming import did_you_mean

    shape = policy.shapes.get(kind)
    for part in keys(pointer):
        shape = (shape.items if pointers.is_index(part) else shape.child(part)) if shape else None
    if shape is None or not shape.words:
        return _(UNQUOTED_HINT)
    # Numbers, `null` and yes/no as JSON writes them (a vocabulary may mix them with texts).
    words = sorted(w if isinstance(w, str) else json.dumps(w) for w in shape.words)
    value = pointers.at(data, pointer)
    guess = suggest(value, words) if isinstance(value, str) else None
    allowed = _("allowed values: {values}").format(values=", ".join(words))
    if guess is None:
        return allowed
    return did_you_mean(guess) + " " + allowed
