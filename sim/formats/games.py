"""Writing a scenario's games in other formats (``sim games --export FORMAT DIR``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.analysis.outcome import Games
from sim.errors import InputError, display_path
from sim.formats.nfg import write_nfg

GAME_FORMATS = ("nfg",)
"""Formats games are exported to: Gambit's strategic form."""


def game_file_name(games: Games, position: int) -> str:
    """``<scenario>-<game>[-<bundle index>].nfg``: unique within one scenario's games."""
    game = games.games[position].normal_form
    assert game is not None
    name = f"{games.scenario}-{game.name}"
    if game.bundle is not None:
        name += f"-{game.bundle.index}"
    return name + ".nfg"


def export_games(
    solved: Sequence[Games], fmt: str, folder: Path, force: bool = False
) -> list[Path]:
    """Write every two-player strategic game of each scenario to ``folder`` (created if
    needed); sequential games (leverage) are not strategic games and are left out.

    Raises
    ------
    InputError
        An unknown format, a folder that cannot be made, or a file that exists without ``force``.
    """
    if fmt not in GAME_FORMATS:
        raise InputError(f"--export: unknown format {fmt!r} (known: {', '.join(GAME_FORMATS)})")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--export: {display_path(folder)} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"--export: cannot create {display_path(folder)}: {error}") from None
    plan: list[tuple[Path, Games, int]] = []
    for games in solved:
        for position, game in enumerate(games.games):
            if game.normal_form is None:  # a sequential game (leverage)
                continue
            plan.append((folder / game_file_name(games, position), games, position))
    existing = [p for p, _, _ in plan if p.exists()]
    if existing and not force:
        names = ", ".join(display_path(p) for p in existing)
        raise InputError(f"--export: {names} exist; give --force to replace them")
    for path, games, position in plan:
        matrix = games.games[position].normal_form
        assert matrix is not None
        title = f"{games.scenario}: {matrix.name}"
        if matrix.bundle is not None:
            title += f" over bundle {matrix.bundle.index} ({matrix.bundle.words()})"
        write_nfg(path, title, matrix.players, matrix.strategies, matrix.payoffs, overwrite=force)
    return [p for p, _, _ in plan]
