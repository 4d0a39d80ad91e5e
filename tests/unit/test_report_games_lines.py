"""The report's games section is the games' own lines, whole, never the terminal text filtered:
a game line too long for the terminal is wrapped there and one item in the report."""

from __future__ import annotations

from pathlib import Path

import sim
from sim.report.outcome_text import bargaining_lines, game_lines, solution_references
from sim.report.pages import _games

WAR = Path(__file__).parents[1] / "fixtures" / "war" / "baseline.yaml"


def test_the_report_shows_each_game_line_whole_and_the_terminal_wraps_it() -> None:
    outcome = sim.analyse(WAR)
    references = solution_references(outcome)
    seen: dict[int, str] = {}
    bargaining_lines(outcome, seen, references)
    whole = game_lines(outcome, dict(seen), references, wrap=False)
    terminal = game_lines(outcome, dict(seen), references)
    assert any(len(line) > 98 for line in whole)  # a line the terminal wraps
    assert len(terminal) > len(whole)
    assert " ".join(" ".join(t.split()) for t in terminal) == " ".join(
        " ".join(w.split()) for w in whole
    )
    heading, items = _games(outcome, {})  # type: ignore[arg-type]
    assert heading.text == "The games"  # type: ignore[attr-defined]
    assert list(items.items) == whole  # type: ignore[attr-defined]
