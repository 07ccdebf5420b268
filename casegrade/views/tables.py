"""The one table shape every view prints: boxed, a plain-text title, columns that wrap rather than
lose characters (CJK-safe, GBK-safe).
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

TABLE_BOX = box.SQUARE


def new_table(
    title: str,
    *headers: str,
    right: tuple[str, ...] = (),
    no_wrap: tuple[str, ...] = (),
    **options: Any,
) -> Table:
    """A boxed table with a plain-text title; ``right`` columns align right, ``no_wrap`` columns
    (dates, amounts, IDs) never break, the others wrap between words."""
    table = Table(title=Text(title), box=TABLE_BOX, title_justify="left", **options)
    for header in headers:
        table.add_column(
            header,
            justify="right" if header in right else "left",
            no_wrap=header in no_wrap,
            overflow="fold",
        )
    return table
