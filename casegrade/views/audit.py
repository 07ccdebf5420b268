"""The audit as lines for people: when, who, which command, and per change what it was before and
after, field by field; ID numbers masked unless asked for."""

from __future__ import annotations

import json
from typing import Any

from casegrade.idnumber import mask_id_number
from casegrade.records import AuditProblem


def audit_lines(
    entries: list[dict[str, Any]], show_id: bool = False, officer_id: str | None = None
) -> list[str]:
    """One line per audit entry: ``at user action table key: field old → new; …`` (an imported
    file's added rows: ``at user import table: N row(s) added``, with ``officer_id``'s among them
    by key) and, on a line of its own, the command and the imported file (with its SHA-256)."""
    lines = []
    for entry in entries:
        new, old = _read(entry["new"]), _read(entry["old"])
        if new is None or old is None:
            lines.append(
                f"{entry['at']}  {entry['user']}  {entry['action']} "
                f"{entry['table_name']} {entry['key']}".rstrip()
                + ": (unreadable: changed outside casegrade)"
            )
            continue
        if entry["action"] == "import":
            line = (
                f"{entry['at']}  {entry['user']}  import {entry['table_name']}: "
                f"{new.get('added', 0):,} row(s) added"
            )
            if officer_id is not None:  # which of them are the officer's
                keys = entry.get("officer_keys") or [  # or, in an older entry, its own list
                    k for k in new.get("rows", {}) if officer_id in k.split(" / ")
                ]
                line += f", {officer_id}'s: {'; '.join(keys) or '—'}"
            lines.append(line)
            lines += _source(entry)
            continue
        if entry["action"] == "change":
            fields = [
                f"{name} {_shown(name, old.get(name), show_id)} → {_shown(name, value, show_id)}"
                for name, value in new.items()
                if old.get(name) != value
            ]
        else:
            fields = [
                f"{name}={_shown(name, value, show_id)}" for name, value in (new or old).items()
            ]
        lines.append(
            f"{entry['at']}  {entry['user']}  {entry['action']} {entry['table_name']} "
            f"{entry['key']}: {'; '.join(fields)}"
        )
        lines += _source(entry)
    return lines


def _read(text: str | None) -> dict[str, Any] | None:
    """An entry's stored values ({} for none), or None when they are not what casegrade wrote."""
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _source(entry: dict[str, Any]) -> list[str]:
    """The command and the imported file (with its SHA-256) of an entry, on a line of its own."""
    source = entry.get("command") or ""
    if entry.get("file"):
        source += f"  [{entry['file']} sha256 {(entry.get('file_sha256') or '')[:16]}…]"
    return [f"    {source}"] if source else []


def _shown(name: str, value: Any, show_id: bool) -> str:
    if value is None:
        return "—"
    if name == "id_number" and not show_id:
        return mask_id_number(str(value))
    return str(value)


def problem_lines(problems: list[AuditProblem]) -> list[str]:
    """What ``audit verify`` found, a line each: a changed or deleted audit row, or a record the
    audit does not explain."""
    lines = []
    for problem in problems:
        if problem.key and problem.audit_id:
            lines.append(f"audit row {problem.audit_id}: {problem.what} {problem.key}")
        elif problem.audit_id:
            lines.append(f"audit row {problem.audit_id}: {problem.what} outside casegrade")
        else:
            lines.append(f"{problem.table} {problem.key}: {problem.what}")
    return lines


def audit_json(entries: list[dict[str, Any]], show_id: bool = False) -> str:
    """Audit entries as JSON, newest last: [{"id", "at", "user", "command", "action" (add,
    change, remove, import, restore), "table", "key", "old", "new" (the values, objects; an
    import's "new" is {"added", "columns", …}; null when none or unreadable), "file",
    "file_sha256", "officer_keys" (with --officer: the officer's rows an import added)}]; ID
    numbers masked unless ``show_id``."""

    def values(text: str | None) -> dict[str, Any] | None:
        found = _read(text)
        if not found:
            return None
        if not show_id and found.get("id_number"):
            found["id_number"] = mask_id_number(str(found["id_number"]))
        return found

    return json.dumps(
        [
            {
                "id": entry["id"],
                "at": entry["at"],
                "user": entry["user"],
                "command": entry.get("command"),
                "action": entry["action"],
                "table": entry["table_name"],
                "key": entry["key"],
                "old": values(entry["old"]),
                "new": values(entry["new"]),
                "file": entry.get("file"),
                "file_sha256": entry.get("file_sha256"),
                **({"officer_keys": entry["officer_keys"]} if "officer_keys" in entry else {}),
            }
            for entry in entries
        ],
        ensure_ascii=False,
        indent=2,
    )
