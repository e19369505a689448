"""Rules the schemas cannot express: the catalogue, and the checks of one record and of all.

Every rule has an identifier, a severity and a one-line summary here, in one place; the checks
in `record` (one record at a time) and `inventory` (across records) create their findings
through `Rule.finding`, so a finding always carries the rule's declared severity.
"""

from __future__ import annotations

from dataclasses import dataclass

from ichinv.core.i18n import N_
from ichinv.core.model import Finding, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: identifier, severity, and what it asks of a record."""

    id: str
    severity: Severity
    summary: str
    """What the rule asks, in English (`ichinv.core.i18n._(rule.summary)` translates it)."""
    tells: tuple[str, ...] = ()
    """The parts of a record (pointers) that decide whether a finding is made, other than the
    place it stands at: a finding tells of them too (`access.consent`, at /access/level, that
    consent is not given)."""

    def finding(
        self,
        path: str,
        message: str,
        *,
        pointer: str = "",
        hint: str | None = None,
        at_key: bool = False,
        line: int | None = None,
        column: int | None = None,
        unquoted: str | None = None,
    ) -> Finding:
        return Finding(
            path=path,
            rule=self.id,
            message=message,
            severity=self.severity,
            pointer=pointer,
            hint=hint,
            at_key=at_key,
            line=line,
            column=column,
            unquoted=unquoted,
        )


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        # files and YAML (ichinv.io: yaml_text, yaml_syntax, strict_yaml; inventory.record_files)
        Rule("yaml.syntax", E, N_("The file is well-formed YAML.")),
        Rule("yaml.tab", E, N_("Indentation uses spaces, never tabs.")),
        Rule("yaml.duplicate-key", E, N_("No key appears twice in the same mapping.")),
        Rule("yaml.encoding", E, N_("The file is UTF-8 (a byte-order mark is allowed).")),
        Rule("yaml.control-character", E, N_("The file holds no control characters.")),
        Rule(
            "yaml.line-break",
            E,
            N_("Lines end with LF, CRLF or CR only: no NEL, U+2028 or U+2029 in the file."),
        ),
        Rule(
            "yaml.bom",
            E,
            N_("A byte-order mark, if any, is the very first character, and only one."),
        ),
        Rule("yaml.empty", E, N_("The file holds a record.")),
        Rule(
            "yaml.comment-in-text",
            W,
            N_("No text of several words runs into a # comment on its line."),
        ),
        Rule("yaml.not-mapping", E, N_("The record is a mapping of fields.")),
        Rule("yaml.multi-document", E, N_("A file holds exactly one YAML document.")),
        Rule("yaml.tag", E, N_("No YAML tags (such as !!python/object): records are plain data.")),
        Rule("yaml.alias", E, N_("No anchors or aliases: every value is written out.")),
        Rule("yaml.merge-key", E, N_("No merge keys (<<).")),
        Rule("yaml.key-type", E, N_("Every key is text.")),
        Rule(
            "yaml.value",
            E,
            N_("Numbers are finite and of sane length; tagged values match their tag."),
        ),
        Rule("yaml.too-deep", E, N_("Records are not nested absurdly deep.")),
        Rule("yaml.directive", E, N_("No %YAML or %TAG directives other than %YAML 1.2.")),
        Rule("yaml.unreadable", E, N_("The file can be read as YAML.")),
        Rule("file.too-large", E, N_("Record files stay under the size limit.")),
        Rule("file.extension", E, N_("elements/ and provinces/ hold only <id>.yaml files.")),
        Rule(
            "file.record-folder",
            E,
            N_(
                "elements/ and provinces/ are folders of this repository: not files, git submodules "
                "or links leading out."
            ),
        ),
        Rule("file.folder", E, N_("Records lie directly in elements/ or provinces/.")),
        Rule(
            "file.hidden",
            E,
            N_(
                "elements/ and provinces/ hold no hidden files (names starting with '.') other than "
                "an empty .gitkeep."
            ),
        ),
        Rule(
            "file.temporary",
            E,
            N_("No temporary file of an interrupted write is left in elements/ or provinces/."),
        ),
        Rule(
            "file.symlink",
            E,
            N_("Records are files of the inventory, not links leading out of it."),
        ),
        Rule("file.missing", E, N_("A file named on the command line exists.")),
        Rule(
            "file.not-record",
            E,
            N_("A file named on the command line is a record, under elements/ or provinces/."),
        ),
        Rule("file.unreadable", E, N_("The file can be read.")),
        # identity
        Rule("id.file-name", E, N_("The file name is the record's id followed by .yaml.")),
        Rule("id.unique", E, N_("No two records share an id.")),
        Rule("id.year", W, N_("The year in an element's id is the year it entered the inventory.")),
        # references
        Rule("ref.province", E, N_("Every province referenced exists in provinces/.")),
        Rule("ref.province-historical", W, N_("Current information refers to current provinces.")),
        Rule("ref.related", E, N_("Related elements exist and are not the element itself.")),
        Rule("ref.merged-into", E, N_("A merged element names an existing, different element.")),
        Rule("ref.merged-from", W, N_("The element a record was merged into records the merger.")),
        Rule(
            "ref.successor",
            E,
            N_("Successors of a province exist and are not the province itself."),
        ),
        # status
        Rule(
            "status.reason",
            E,
            N_("Retired and merged elements say why."),
            tells=("/status_change/reason",),
        ),
        Rule(
            "status.merged-into",
            E,
            N_("A merged element names the element it went into."),
            tells=("/status_change/merged_into",),
        ),
        Rule("status.change", W, N_("An active element carries no retirement or merger.")),
        Rule(
            "status.deleted",
            E,
            N_("Elements are retired or merged, never deleted (validate --new-since REV)."),
        ),
        # consent and access
        Rule(
            "access.consent",
            E,
            N_("A public record has the consent (status given) of its communities."),
            tells=("/consent/status",),
        ),
        Rule(
            "access.reason",
            E,
            N_(
                "A restricted record says why (in words that may be published); while consent is "
                "not given, its status is the reason."
            ),
            tells=("/consent/status",),
        ),
        Rule(
            "access.parts",
            E,
            N_("Restricted parts name fields of the record that may be withheld."),
        ),
        Rule(
            "access.shifted",
            E,
            N_(
                "An item restricted by its position in a list stays restricted when the list's "
                "items move (validate --new-since REV)."
            ),
        ),
        Rule("consent.date", E, N_("Given consent has a date.")),
        Rule("consent.evidence", W, N_("Given consent points to its evidence.")),
        Rule(
            "consent.withdrawn",
            W,
            N_("An active element whose consent was withdrawn is reconsidered."),
        ),
        # dates
        Rule("date.invalid", E, N_("Dates are real calendar dates.")),
        Rule("date.future", E, N_("Dates of things that happened are not in the future.")),
        Rule(
            "date.order",
            E,
            N_(
                "Dates are in order (start before end, entry before update and before a "
                "retirement or merger)."
            ),
        ),
        # names and texts
        Rule(
            "names.kk-script",
            E,
            N_("The Kazakh name is written in Cyrillic, with no Latin letters."),
        ),
        Rule("names.mixed-script", E, N_("No name mixes Latin and Cyrillic letters in one word.")),
        Rule(
            "names.latin-orthography", E, N_("A kk-Latn name says which Latin alphabet it follows.")
        ),
        Rule("names.whitespace", W, N_("Names have no leading, trailing or doubled spaces.")),
        Rule(
            "lang.code",
            W,
            N_("Languages are written with their two-letter codes (kk, ru, en), not a country's."),
        ),
        Rule(
            "text.control-character",
            E,
            N_(
                "Texts hold no control, bidi-override or invisible characters (joiners that spell a word or an emoji, and soft hyphens, are taken)."
            ),
        ),
        Rule("text.mixed-script", W, N_("No word mixes Latin and Cyrillic letters.")),
        Rule(
            "text.contact",
            W,
            N_(
                "Texts outside contacts hold no e-mail address, phone number, messenger's "
                "link or web address with a user name or password (a record's texts may be "
                "published)."
            ),
        ),
        # content
        Rule(
            "category.index", E, N_("The national index number belongs to the national category.")
        ),
        Rule("category.missing", INFO, N_("Active elements have a national category (2024 list).")),
        Rule("viability.missing", W, N_("Active elements have a viability assessment.")),
        Rule("viability.stale", INFO, N_("Viability was assessed within the last six years.")),
        Rule("unesco.states", W, N_("The States of a UNESCO file include Kazakhstan (KZ).")),
        Rule(
            "province.successors",
            E,
            N_("A province that ceased to exist has an end date and successors."),
        ),
        Rule(
            "province.target",
            E,
            N_("A focus province of the revision has a target of new elements."),
        ),
        Rule(
            "list.duplicate-key",
            E,
            N_("No two items of a list share the field(s) that identify them."),
        ),
        Rule("path.outside", E, N_("Paths in records stay inside the repository.")),
        Rule("path.missing", W, N_("Files named in records exist.")),
        Rule(
            "path.orphan",
            E,
            N_(
                "Folders of elements' files (documentation/<id>/, evidence/<id>/) belong to an "
                "element."
            ),
        ),
        # privacy (ichinv.overlay)
        Rule(
            "privacy.public-repository",
            E,
            N_(
                "A public repository holds no personal data and no restricted parts: they live in "
                "the private overlay."
            ),
        ),
        Rule(
            "privacy.overlay", E, N_("Files of the private overlay are readable element records.")
        ),
        Rule(
            "privacy.overlay-field",
            E,
            N_("The private overlay holds only contacts and the restricted parts of its element."),
        ),
        Rule(
            "privacy.overlay-ignored",
            E,
            N_("A private overlay inside the repository is ignored by git (.gitignore)."),
        ),
        # suppressions
        Rule("suppression.expired", E, N_("Suppressions are renewed or removed when they expire.")),
        Rule("suppression.unused", W, N_("Every suppression still covers a finding.")),
    ]
}


WITHHELD = "withheld.part"
"""The rule a public output names for a finding about a withheld part of a record (or one
whose rule `tells` of such a part), whose words it withholds too (ichinv.inventory.redaction.
public_finding): the rule's own id would say what is withheld (`consent.withdrawn`: in which
state consent is; `viability.missing`: that a withheld field is missing). Not a rule of the
catalogue: no check makes it and no suppression names it; the committee reads the rule."""


def rule(rule_id: str) -> Rule:
    """The catalogue entry of `rule_id`."""
    return CATALOGUE[rule_id]
