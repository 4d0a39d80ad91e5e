"""The one helper for optional dependencies: import a package on the path that needs it, or
say which extra installs it."""

from __future__ import annotations

import importlib
from types import ModuleType

from sim.errors import InputError


def optional_module(name: str, needed_for: str, extra: str) -> ModuleType:
    """The module ``name``, or an :class:`InputError` naming what needs it and the extra.

    >>> optional_module("json", "reading", "notebook").__name__
    'json'
    >>> optional_module("no_such_package_xyz", "load_run", "notebook")
    Traceback (most recent call last):
    ...
    sim.errors.InputError: load_run needs no_such_package_xyz: pip install -e '.[notebook]'
    """
    try:
        return importlib.import_module(name)
    except ImportError:
        raise InputError(f"{needed_for} needs {name}: pip install -e '.[{extra}]'") from None
