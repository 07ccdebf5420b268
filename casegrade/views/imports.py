"""An import's report in words: counts, fields changed and cleared, rows removed, and on a dry
run every row that would change, field by field (ID numbers masked)."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from typing import Any

from casegrade.core.imports import ImportReport
from casegrade.errors import RowError
from casegrade.idnumber import mask_id_number
from casegrade.views.labels import problems_text, yuan
from casegrade.vocab import label, yes_no

ADDED_SHOWN = 100  # a dry run names this many new rows; changed and removed ones are all shown


def summary(report: ImportReport) -> list[str]:
    """The report's lines: the counts, then per field how many rows changed or were cleared,
    then every row removed; on a dry run also every row changed, field by field, and the new
    rows (the first hundred by key)."""
    changes = report.changes
    counts = changes.counts
    total = counts.added + counts.changed + counts.unchanged
    removed = f", {counts.removed} removed" if report.replace else ""
    lines = [] if report.written else ["Dry run: nothing was written. The import would do this:"]
    lines.append(
        f"{report.path}: {total} rows; {counts.added} added, {counts.changed} changed, "
        f"{counts.unchanged} unchanged{removed}"
    )
    lines += _per_field(report)
    if not report.written:
        lines += [f"  + {_key(c.key)}" for c in changes.added[:ADDED_SHOWN]]
        if len(changes.added) > ADDED_SHOWN:
            lines.append(f"  + … and {len(changes.added) - ADDED_SHOWN:,} more added")
        for change in changes.changed:
            lines.append(f"  ~ {_key(change.key)}")
            old, new = report.typed(change.old), report.typed(change.new)
            lines += [
                f"      {report.labels.get(name, name)}: {_shown(name, old[name])} → "
                f"{_shown(name, new[name])}"
                for name in change.fields
            ]
    lines += removal(report)
    return lines


def removal(report: ImportReport) -> list[str]:
    """One line per row removed (or to be removed), with its name where it has one."""
    lines = []
    for change in report.changes.removed:
        name = (change.old or {}).get("name")
        named = f" {name}" if name and report.kind == "officers" else ""
        lines.append(f"  - {_key(change.key)}{named}")
    return lines


def _per_field(report: ImportReport) -> list[str]:
    """ "  changed: 单位 for 2, 退休类别 to 干部 for 1; cleared: 身份证号 for 2" from the rows
    changed: a controlled word or yes/no says what it became."""
    changed: dict[str, int] = {}
    cleared: dict[str, int] = {}
    for change in report.changes.changed:
        new = report.typed(change.new)
        for name in change.fields:
            label = report.labels.get(name, name)
            if new[name] is None or new[name] == "":
                cleared[label] = cleared.get(label, 0) + 1
                continue
            if isinstance(new[name], StrEnum | bool):
                label += f" to {_shown(name, new[name])}"
            changed[label] = changed.get(label, 0) + 1
    parts = [
        f"{word}: {', '.join(f'{label} for {count}' for label, count in tally.items())}"
        for word, tally in (("changed", changed), ("cleared", cleared))
        if tally
    ]
    return [f"  {'; '.join(parts)}"] if parts else []


def _key(key: tuple) -> str:
    return " / ".join(map(str, key))


def _shown(name: str, value: Any) -> str:
    """A stored value as the clerk reads it: 是/否, Chinese words, yuan, masked ID numbers."""
    if value is None or value == "":
        return "（空）"
    if name == "id_number":
        return mask_id_number(value)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, StrEnum):
        return label(value)
    if name.endswith("_fen"):
        return f"{yuan(value)} 元"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def row_error_text(error: RowError) -> str:
    """One bad row for people: where, the value, and why (the procedure's problems worded)."""
    if not error.problems:
        return str(error)
    return str(dataclasses.replace(error, why=problems_text(error.problems), problems=()))
