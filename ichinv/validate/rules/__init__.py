"""The rules the schemas cannot express: checks of one record (`check`) and across records
(`ichinv.validate.rules.cross`). Every rule is declared once, with its severity, in
ichinv.core.catalogue; a check creates its findings through that declaration."""

from __future__ import annotations

from ichinv.core.model import Finding, RecordKind
from ichinv.validate.rules.consent import check_consent_access, check_privacy
from ichinv.validate.rules.content import (
    check_category,
    check_list_keys,
    check_province,
    check_unesco,
    check_viability,
)
from ichinv.validate.rules.context import RecordCheck, RecordContext, held_privately
from ichinv.validate.rules.dates import check_dates
from ichinv.validate.rules.identity import check_file_name, check_id_year
from ichinv.validate.rules.languages import check_language_codes
from ichinv.validate.rules.paths import check_paths
from ichinv.validate.rules.status import check_status
from ichinv.validate.rules.texts import check_names, check_texts

__all__ = ["ELEMENT_CHECKS", "PROVINCE_CHECKS", "RecordContext", "check", "held_privately"]

ELEMENT_CHECKS: tuple[RecordCheck, ...] = (
    check_file_name,
    check_id_year,
    check_status,
    check_consent_access,
    check_dates,
    check_names,
    check_language_codes,
    check_texts,
    check_category,
    check_viability,
    check_unesco,
    check_paths,
    check_list_keys,
    check_privacy,
)
PROVINCE_CHECKS: tuple[RecordCheck, ...] = (
    check_file_name,
    check_dates,
    check_names,
    check_texts,
    check_province,
)


def check(ctx: RecordContext) -> list[Finding]:
    """Every per-record finding of `ctx.record`."""
    checks = ELEMENT_CHECKS if ctx.record.kind is RecordKind.ELEMENT else PROVINCE_CHECKS
    return [finding for check_one in checks for finding in check_one(ctx)]
