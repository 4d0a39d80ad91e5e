"""The one reader of budget variables (``$SIM_MAX_...``) shared by every layer.

Each budget of a computation has a documented default and an environment variable that raises
it (see docs/reliability.md, "Limits"); this module reads them.
"""

from __future__ import annotations

import os

from sim.errors import InputError


def env_limit(variable: str, default: int) -> int:
    """The positive integer in ``$variable``, or ``default`` when it is unset or empty.

    Raises
    ------
    InputError
        The variable is set to something other than a positive integer in ASCII digits.

    Examples
    --------
    >>> env_limit("SIM_MAX_NOTHING_SET_HERE", 7)
    7
    """
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InputError(f"${variable}: {text!r} is not a positive integer")
    return int(text)
