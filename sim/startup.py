"""The console script's start-up: the cyclic garbage collector waits until the command runs.

Importing numpy, pydantic, typer and the package allocates several hundred thousand objects
that live as long as the process and form no garbage; each allocation threshold crossed on
the way triggers a collection that walks all of them again (about 5% of a small command's
whole time). :func:`pause_collector` (called by :func:`sim.entry.main` before anything is
imported) stops the collector; :func:`resume_collector` (called as a command's body starts,
by :func:`sim.commands.base.guard`) moves what start-up made to the permanent generation,
which later collections skip, and starts it again. Library use (``import sim``) and
in-process command runs (tests) never pause it.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Stop the cyclic garbage collector until :func:`resume_collector`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Start the collector again if :func:`pause_collector` stopped it (start-up's objects
    frozen first); otherwise nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
