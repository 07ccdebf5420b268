"""Modules loaded on first use, so that `casegrade --help` and `--version` start as fast as a bare
Typer app: the command line names the core, the views and the store, and each command loads only
what it calls."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Module:
    """A stand-in for the module ``name``: the module is imported when an attribute is first
    read. For a package, ``submodules=True`` makes each attribute a submodule
    (``core.review`` imports casegrade.core.review)."""

    def __init__(self, name: str, submodules: bool = False) -> None:
        self._name = name
        self._submodules = submodules

    def __getattr__(self, attr: str) -> Any:
        if self._submodules:
            return importlib.import_module(f"{self._name}.{attr}")
        module: ModuleType = importlib.import_module(self._name)
        return getattr(module, attr)
