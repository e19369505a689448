"""Status: retired and merged elements say why; an active one carries no retirement."""

from __future__ import annotations

from collections.abc import Iterator

from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.validate.rules.context import RecordContext, get


def check_status(ctx: RecordContext) -> Iterator[Finding]:
    status = ctx.data.get("status")
    change = ctx.data.get("status_change")
    if status in ("retired", "merged"):
        # A field the record leaves to the private overlay is judged on the merged record.
        if (not isinstance(change, dict) or not change.get("reason")) and not ctx.kept_elsewhere(
            "/status_change/reason"
        ):
            yield rule("status.reason").finding(
                ctx.path,
                (
                    _("the element is retired but gives no reason")
                    if status == "retired"
                    else _("the element is merged but gives no reason")
                ),
                pointer="/status",
                hint=_(
                    "add status_change: with reason:, date: and decision: (or run `ichinv "
                    "{command}`)"
                ).format(command="retire" if status == "retired" else "merge"),
            )
        if (
            status == "merged"
            and not get(change, "merged_into")
            and not ctx.kept_elsewhere("/status_change/merged_into")
        ):
            yield rule("status.merged-into").finding(
                ctx.path,
                _("the element is merged but does not say into which element"),
                pointer="/status",
                hint=_("add status_change.merged_into: with the id of the element it went into"),
            )
    elif status == "active" and isinstance(change, dict):
        yield rule("status.change").finding(
            ctx.path,
            _("the element is active but carries a status_change (retirement or merger)"),
            pointer="/status_change",
            hint=_("remove status_change, or set status to retired or merged"),
            at_key=True,
        )
