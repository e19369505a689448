"""Consent and access: public records have consent, restricted ones a reason and real
parts; in a public repository, personal data and restricted parts live in the private overlay."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.core.vocabulary import KEPT_IN_PUBLIC_REPOSITORY
from ichinv.inventory.audience import unrestrictable
from ichinv.inventory.listings import printed_listing
from ichinv.schemas.naming import field_name
from ichinv.validate.rules.context import RecordContext, get


def check_consent_access(ctx: RecordContext) -> Iterator[Finding]:
    consent = ctx.data.get("consent")
    access = ctx.data.get("access")
    consent_status = get(consent, "status")
    level = get(access, "level")
    if level == "public" and consent_status is not None and consent_status != "given":
        yield rule("access.consent").finding(
            ctx.path,
            _(
                "the record is public but consent is {status!r}: a record is published "
                "only with the free, prior and informed consent of the communities "
                "concerned"
            ).format(status=consent_status),
            pointer="/access/level",
            hint=_("set access.level: restricted until consent is given, or record the consent"),
        )
    # While consent is not given, that is the published reason (every public output says so
    # in its own language, never in which state consent is: ichinv.inventory.audience); a
    # restriction of a record with consent needs its own.
    if level == "restricted" and not get(access, "reason") and consent_status in (None, "given"):
        yield rule("access.reason").finding(
            ctx.path,
            _("access is restricted but no reason is given"),
            pointer="/access",
            hint=_("add access.reason: in words that may be published (why, never what)"),
        )
    parts = get(access, "restricted_parts")
    if level == "public" and isinstance(parts, list) and parts:
        yield rule("access.parts").finding(
            ctx.path,
            _(
                "access.level is public but access.restricted_parts lists parts: until the level "
                "says restricted, public output shows only the identification"
            ),
            pointer="/access/level",
            hint=_(
                "set access.level: restricted (and give access.reason) to withhold only those parts"
            ),
        )
    if isinstance(parts, list):
        for index, part in enumerate(parts):
            if not isinstance(part, str):
                continue
            # The entry itself is never quoted: it is text an editor wrote where a field name
            # belongs, and may hold anything (a contact); the finding's pointer and line say
            # which entry it is.
            field = unrestrictable(part)
            if not part:
                # The empty pointer names the whole record: the public view withholds all but
                # the identification (fail closed), which a restricted record says by listing
                # no parts.
                yield rule("access.parts").finding(
                    ctx.path,
                    _(
                        "this entry is empty, which names the whole record: public output "
                        "withholds the whole record, showing only its identification"
                    ),
                    pointer=f"/access/restricted_parts/{index}",
                    hint=_(
                        "to restrict the whole record, set access.level: restricted and list no "
                        "access.restricted_parts; to restrict some parts, name each as a pointer "
                        "from the record's root (for example /transmission)"
                    ),
                )
            elif field is not None:
                yield rule("access.parts").finding(
                    ctx.path,
                    _(
                        "{part} cannot be restricted: public lists always show the id, "
                        "status and access of an element; until it is removed, public output "
                        "shows only the identification"
                    ).format(part=field),
                    pointer=f"/access/restricted_parts/{index}",
                )
            elif not list(pointers.matches(ctx.data, part)) and not (
                (ctx.public or ctx.elsewhere) and _schema_field(ctx, part)
            ):
                # Where records may leave their restricted parts to the private overlay (the
                # settings name one, or the repository is public), a listed field absent from
                # the record is kept there (`ichinv private split`); elsewhere it is a mistake.
                # The entry is quoted where a public view prints it: in the schema's words.
                yield rule("access.parts").finding(
                    ctx.path,
                    (
                        _(
                            "{part} names no part of the record: until it names one that does, "
                            "public output shows only the identification"
                        ).format(part=part)
                        if printed_listing(ctx.data, part, ctx.schema.shape)
                        else _(
                            "this entry names no part of the record: until it names one that "
                            "does, public output shows only the identification"
                        )
                    ),
                    pointer=f"/access/restricted_parts/{index}",
                    hint=_(
                        "name a field the record has, as a pointer from its root (`ichinv "
                        "schema-docs` describes the fields)"
                    ),
                )
    if consent_status == "given":
        if not get(consent, "date") and not ctx.kept_elsewhere("/consent/date"):
            yield rule("consent.date").finding(
                ctx.path,
                _("consent is given but has no date"),
                pointer="/consent",
                hint=_("add consent.date: the date the community gave its consent"),
            )
        if not get(consent, "evidence") and not ctx.kept_elsewhere("/consent/evidence"):
            yield rule("consent.evidence").finding(
                ctx.path,
                _("consent is given but its evidence is not referenced"),
                pointer="/consent",
                hint=_(
                    "add consent.evidence: where the signed form, recording or minutes are kept"
                ),
            )
    if consent_status == "withdrawn" and ctx.data.get("status") == "active":
        yield rule("consent.withdrawn").finding(
            ctx.path,
            _("the communities withdrew their consent, but the element is still active"),
            pointer="/consent/status",
            hint=_(
                "the committee should consult the communities and restrict or retire the record"
            ),
        )


def check_privacy(ctx: RecordContext) -> Iterator[Finding]:
    """In a public repository, personal data and restricted parts must not sit in the record."""
    if not ctx.public:
        return
    hint = _(
        "run `ichinv private split` to move it to the private overlay; what was already "
        "committed stays in the git history (see SECURITY.md)"
    )
    for pattern in ctx.schema.personal_fields:
        for pointer, value in pointers.matches(ctx.data, pattern):
            if value not in (None, [], {}, ""):
                yield rule("privacy.public-repository").finding(
                    ctx.path,
                    _("{pointer} holds personal data, but the repository is public").format(
                        pointer=field_name(pointer)
                    ),
                    pointer=pointer,
                    hint=hint,
                    at_key=True,
                )
    access = ctx.data.get("access")
    if not isinstance(access, dict) or access.get("level") != "restricted":
        return
    parts = access.get("restricted_parts")
    if not parts:
        kept = sorted(k for k in ctx.data if k not in KEPT_IN_PUBLIC_REPOSITORY)
        if kept:
            yield rule("privacy.public-repository").finding(
                ctx.path,
                _(
                    "the whole record is restricted, but its fields ({fields}) sit in a public "
                    "repository"
                ).format(fields=", ".join(kept)),
                pointer="/access",
                hint=_("list the restricted fields in access.restricted_parts, then {then}").format(
                    then=hint
                ),
            )
        return
    for part in parts if isinstance(parts, list) else []:
        if not isinstance(part, str):
            continue
        for pointer, _value in pointers.matches(ctx.data, part):
            yield rule("privacy.public-repository").finding(
                ctx.path,
                _("{pointer} is a restricted part, but the repository is public").format(
                    pointer=field_name(pointer)
                ),
                pointer=pointer,
                hint=hint,
                at_key=True,
            )


def _schema_field(ctx: RecordContext, pointer: str) -> bool:
    """Whether `pointer` starts with a field the schema defines (a typo does not)."""
    top = pointers.top(pointer) if pointers.is_pointer(pointer) else ""
    properties = ctx.schema.document.get("properties")
    return isinstance(properties, Mapping) and top in properties
