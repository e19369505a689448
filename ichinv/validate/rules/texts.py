"""Names and texts: Kazakh in Cyrillic, no word mixing scripts, no invisible characters."""

from __future__ import annotations

from collections.abc import Iterator

from ichinv.core import alphabets as scripts
from ichinv.core import controls, pointers
from ichinv.core.catalogue import rule
from ichinv.core.contacts import web_login
from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind
from ichinv.inventory.contact_texts import no_contact, shows_sure_contact, top_fields
from ichinv.inventory.policy import personal_of
from ichinv.validate.rules.context import RecordContext


def check_names(ctx: RecordContext) -> Iterator[Finding]:
    names = ctx.data.get("names")
    if not isinstance(names, dict):
        return
    kk = names.get("kk")
    if isinstance(kk, str):
        stray = next(scripts.latin_letters(kk), None)
        if stray is not None:
            yield rule("names.kk-script").finding(
                ctx.path,
                _("the Kazakh name must be in Cyrillic script: {letter}").format(
                    letter=stray.describe()
                ),
                pointer="/names/kk",
                hint=(
                    _("replace it with Cyrillic {meant!r}").format(meant=stray.meant)
                    if stray.meant
                    else _("write the Latin spelling under names.kk-Latn")
                ),
            )
    for lang, name in names.items():
        if not isinstance(name, str):
            continue
        if lang != "kk":
            mixed = next(scripts.mixed_words(name), None)
            if mixed is not None:
                yield rule("names.mixed-script").finding(
                    ctx.path,
                    _("the {lang} name mixes scripts: {letter}").format(
                        lang=lang, letter=mixed.describe()
                    ),
                    pointer=f"/names/{pointers.escape(lang)}",
                    hint=_("retype the word in one script"),
                )
        if name != name.strip() or "  " in name:
            yield rule("names.whitespace").finding(
                ctx.path,
                _("the {lang} name has leading, trailing or doubled spaces").format(lang=lang),
                pointer=f"/names/{pointers.escape(lang)}",
                hint=_("`ichinv fmt` does not touch texts; remove the extra spaces by hand"),
            )
    if (
        "kk-Latn" in names
        and ctx.record.kind is RecordKind.ELEMENT
        and "latin_orthography" not in ctx.data
    ):
        yield rule("names.latin-orthography").finding(
            ctx.path,
            _("the name in Kazakh Latin script does not say which Latin alphabet it follows"),
            pointer="/names/kk-Latn",
            hint=_("add latin_orthography: 2021 (or 2018, 2017, ala-lc, other)"),
        )


def check_texts(ctx: RecordContext) -> Iterator[Finding]:
    fields = _personal_fields(ctx)
    personal = top_fields(fields)
    every: list[str] = []
    public: list[str] = []  # the texts outside the fields of personal data (at the top)
    for key, value in ctx.data.items():
        found = list(pointers.strings(value))
        every += found
        if key not in personal:
            public += found
    known = ctx.record.no_contact  # an earlier run's search, kept by the record cache
    if known is None or not known.covers(ctx.data, personal):
        known = no_contact(ctx.data, personal, public)
    if known is None:
        yield from _contacts_in_texts(ctx, fields)  # each text judged as itself
    ctx.learnt.no_contact = known
    if not scripts.may_hold_invisible("\n".join(every)) and not scripts.may_mix_scripts(
        "\n".join(t for t in every if not t.isascii())  # a line break is no letter
    ):
        return  # the common case, settled without a pointer for every text
    for pointer, text in pointers.texts(ctx.data):
        body = text.rstrip("\n")
        bad = scripts.invisible_character(body, multiline="\n" in body)
        if bad is not None:
            yield rule("text.control-character").finding(
                ctx.path,
                _("the text holds the invisible character {code}").format(code=f"U+{ord(bad):04X}"),
                pointer=pointer,
                hint=_(
                    "U+200C and U+200D are taken only inside a word of a script whose letters "
                    "join (Arabic, Syriac, Mongolian, the Indic scripts), between two of its "
                    "letters, and U+200D between two emoji; delete this one"
                )
                if bad in controls.JOINERS
                else _(
                    "retype the text; invisible characters come from copying out of other "
                    "documents and can hide or reorder what reviewers see"
                ),
            )
        elif not pointer.startswith("/names/"):
            mixed = next(scripts.mixed_words(text), None)
            if mixed is not None:
                yield rule("text.mixed-script").finding(
                    ctx.path,
                    _("a word mixes scripts: {letter}").format(letter=mixed.describe()),
                    pointer=pointer,
                    hint=_("retype the word in one script"),
                )


def _personal_fields(ctx: RecordContext) -> tuple[str, ...]:
    """The fields of personal data of the record (its schema's, and those every policy has),
    whose texts hold contacts by design: what rule text.contact does not search, as public
    views do not."""
    marked = (p for p in ctx.schema.personal_fields if pointers.is_pointer(p))
    return personal_of(ctx.record.kind, marked)


def _contacts_in_texts(ctx: RecordContext, fields: tuple[str, ...]) -> Iterator[Finding]:
    """A warning at each text outside the fields of personal data `fields` that holds an
    e-mail address, a phone number, a messenger's link or a web address with a user name or
    password (`shows_sure_contact`): a record's texts may be published. The text is never quoted."""
    held = [p for field in fields for p, __ in pointers.matches(ctx.data, field)]
    found = [
        (pointer, text)
        for pointer, text in pointers.texts(ctx.data)
        if not any(pointers.within(pointer, p) for p in held) and shows_sure_contact(text)
    ]
    for pointer, text in sorted(found, key=lambda item: pointers.split(item[0])):
        if web_login(text):
            message = _(
                "this text holds a web address with a user name or password (before an @), "
                "and a record's texts may be published (it is not quoted here)"
            )
            hint = _(
                "write the address without them (https://host/…); a password written here is "
                "no longer secret: change it"
            )
        else:
            message = _(
                "this text holds an e-mail address, a phone number or a messenger's link, and "
                "a record's texts may be published (it is not quoted here)"
            )
            hint = _(
                "move the contact to contacts (personal data, never published); if it is "
                "none, suppress this warning in the record with the reason"
            )
        yield rule("text.contact").finding(ctx.path, message, pointer=pointer, hint=hint)
