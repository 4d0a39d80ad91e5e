"""Games and their equilibria as terminal text."""

from __future__ import annotations

from collections.abc import Iterable

from sim.analysis.games import LEVERAGE_CONCEPT
from sim.analysis.outcome import (
    ComplianceOutcome,
    GameOutcome,
    Games,
    LeverageOutcome,
    NormalFormGame,
)
from sim.report.outcome_text import terms_lines, terms_lines_against
from sim.report.text import table
from sim.words import plural


def _fmt(values: Iterable[float]) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in values) + ")"


def render_matrix(game: NormalFormGame) -> list[str]:
    """A two-player game: its payoff table and equilibria."""
    rows_player, cols_player = game.players
    title = f"{game.name}: {rows_player} (rows) vs {cols_player} (columns)"
    if game.bundle is not None:
        title += f" over bundle {game.bundle.index}"
    lines = [title]
    if game.bundle is not None:
        lines += terms_lines(game.bundle)
    if game.note:
        lines.append(f"  {game.note}")
    a, b = game.payoffs
    header = ["", *game.strategies[1]]
    body = [
        [label, *[f"{a[r, c]:.3f}, {b[r, c]:.3f}" for c in range(len(header) - 1)]]
        for r, label in enumerate(game.strategies[0])
    ]
    lines += ["  " + line for line in table(header, body).splitlines()]
    if game.degenerate:
        lines.append(
            "  degenerate game: equilibria may form continua; their extreme points are listed"
        )
    for e in game.equilibria:
        check = "verified" if e.verified else "NOT verified"
        lines.append(
            f"  equilibrium {_fmt(e.strategies[0])} x {_fmt(e.strategies[1])}"
            f" payoffs {_fmt(e.payoffs)} [{game.method}, {check}]"
        )
    second = game.cross_check
    if second is not None:
        verdict = (
            f"could not run ({second.error})"
            if second.error
            else f"{plural(second.equilibria or 0, 'equilibrium')}, "
            + ("the same set" if second.agrees else "a DIFFERENT set")
        )
        lines.append(f"  cross-check, {second.method}: {verdict}")
    return lines


def render_many(game: NormalFormGame) -> list[str]:
    """A game of three or more players: its equilibria (the payoff table is in the JSON)."""
    title = f"{game.name}: {', '.join(game.players)}"
    if game.bundle is not None:
        title += f" over bundle {game.bundle.index}"
    lines = [title]
    if game.bundle is not None:
        lines += terms_lines(game.bundle)
    if game.note:
        lines.append(f"  {game.note}")
    for player, labels in zip(game.players, game.strategies, strict=True):
        lines.append(f"  {player}: {', '.join(labels)}")
    for e in game.equilibria:
        check = "verified" if e.verified else "NOT verified"
        profile = " x ".join(_fmt(x) for x in e.strategies)
        lines.append(f"  equilibrium {profile} payoffs {_fmt(e.payoffs)} [{game.method}, {check}]")
    if not game.complete:
        lines.append(f"  not computed: {game.not_computed}")
    return lines


def render_game(game: GameOutcome) -> str:
    """A game as text: a game in normal form as its payoff table (two players) or its
    strategies, with its equilibria, and what its kind adds (the compliance verdict); a game
    that is not in normal form by its own renderer here."""
    if isinstance(game, LeverageOutcome):
        return render_leverage(game)
    form = game.normal_form
    if form is None:
        raise TypeError(f"{type(game).__name__}: a game not in normal form needs a renderer")
    lines = render_matrix(form) if len(form.players) == 2 else render_many(form)
    if isinstance(game, ComplianceOutcome):
        verdict = {True: "yes", False: "no", None: "not computed"}[game.self_enforcing]
        lines.append(f"  self-enforcing: {verdict}")
    return "\n".join(lines)


def render_leverage(game: LeverageOutcome) -> str:
    lines = [f"leverage ({LEVERAGE_CONCEPT}): the mediator chooses {game.choice}"]
    header = ["policy", "target", "credible", "outcome", "mediator"]
    body = []
    deals = {p.settlement.index: p.settlement for p in game.policies if p.settlement}
    letters = {index: chr(ord("A") + n) for n, index in enumerate(deals)}
    for p in game.policies:
        outcome = (
            f"deal on terms {letters[p.settlement.index]}"
            if p.settlement
            else "war, threat carried out"
            if p.threat_carried_out
            else "war"
        )
        if p.target and not p.changes_anything:
            outcome += " (the policy changes nothing here)"
        body.append(
            [
                p.policy,
                p.target or "-",
                "yes" if p.credible else "no",
                outcome,
                f"{p.mediator_payoff:.3f}",
            ]
        )
    lines += ["  " + line for line in table(header, body).splitlines()]
    first = next(iter(deals.values()), None)
    for index, bundle in deals.items():
        label = f"terms {letters[index]}"
        if first is None or bundle is first:
            lines += terms_lines(bundle, label)
        else:  # only what differs from terms A, marked
            lines += terms_lines_against(bundle, first, label, "A")
    return "\n".join(lines)


def render_games(games: Games) -> str:
    head = [f"{games.scenario}: {plural(len(games.games), 'game')}"]
    head += [f"not built: {reason}" for reason in games.not_built]
    parts = ["\n".join(head)]
    parts += [render_game(g) for g in games.games]
    return "\n\n".join(parts)
