"""Gambit's strategic-form game files (``.nfg``, "NFG 1 R").

Two variants exist. The *outcome* version (written here) names every strategy:
``NFG 1 R "title" { "P1" "P2" } { { "s1" "s2" } { "t1" "t2" } } "comment"`` followed by a
list of outcomes ``{ "label" u1, u2 }`` and one outcome number per strategy profile (0 is
the null outcome, all payoffs 0). The *payoff* version gives only the strategy counts
``{ 2 2 }`` and then every profile's payoffs in a row. In both, profiles are listed with the
first player's strategy changing fastest (The Gambit Project, "Game representation formats").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.errors import InputError, display_path
from sim.formats.inputs import read_capped, strict_number
from sim.games.budget import GameTooLargeError, profiles_refusal
from sim.games.game import Game, SolvedGame, solve_game
from sim.text import control_character
from sim.writing import write_atomic

MAX_NFG_BYTES = 16 << 20
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_TOKEN = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([{},])|([^\s{},"]+))', re.DOTALL)


@dataclass(frozen=True, eq=False)
class NfgGame:
    """A game in strategic form.

    ``payoffs[p]`` has one axis per player (``shape == tuple(len(s) for s in strategies)``);
    for two players ``payoffs[p][r, c]`` is player p's payoff when the row player plays r and
    the column player c (SPEC §5).
    """

    title: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: tuple[NDArray[np.float64], ...]
    comment: str = ""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _decimal(value: float) -> str:
    """An exact decimal without exponent (Gambit reads decimals and fractions)."""
    if not np.isfinite(value):
        raise InputError(f"payoff {value}: not a finite number; .nfg payoffs must be finite")
    text = format(Decimal(repr(float(value))), "f")
    return "0" if text in ("-0", "-0.0") else text


def write_nfg(
    path: Path,
    title: str,
    players: Sequence[str],
    strategies: Sequence[Sequence[str]],
    payoffs: Sequence[ArrayLike] | NDArray[np.float64],
    *,
    overwrite: bool = True,
) -> None:
    """Write a strategic-form game as a Gambit ``.nfg`` file (outcome version, strategy labels).

    Parameters
    ----------
    path
        The file to write atomically (:func:`sim.writing.write_atomic`): a regular file there
        is replaced only with ``overwrite``.
    title
        The game's title.
    players
        Player names.
    strategies
        Per player, the strategy labels (in words).
    payoffs
        Per player, an array with one axis per player (``payoffs[p][r][c]`` for two players);
        one array of shape ``(n, s_1, ..., s_n)`` does too (as in ``sim.games.game.Game.payoffs``).

    Raises
    ------
    InputError
        The shapes do not match the strategies, or a payoff is not finite.
    """
    shape = tuple(len(s) for s in strategies)
    if len(players) != len(strategies) or len(payoffs) != len(players) or not players:
        raise InputError(
            f"{display_path(path)}: {len(players)} players, {len(strategies)} strategy lists "
            f"and {len(payoffs)} payoff arrays; they must agree"
        )
    arrays = [np.asarray(p, dtype=np.float64) for p in payoffs]
    for player, array in zip(players, arrays, strict=True):
        if array.shape != shape:
            raise InputError(
                f"{display_path(path)}: payoffs of {player!r} have shape {array.shape}; "
                f"the strategies give {shape}"
            )
    names = " ".join(_quote(p) for p in players)
    labels = " ".join("{ " + " ".join(_quote(s) for s in group) + " }" for group in strategies)
    lines = [f"NFG 1 R {_quote(title)} {{ {names} }}", f"{{ {labels} }}", '""', "", "{"]
    flat = [a.reshape(-1, order="F") for a in arrays]
    for profile in range(int(np.prod(shape))):
        numbers = ", ".join(_decimal(f[profile]) for f in flat)
        lines.append(f'{{ "" {numbers} }}')
    lines.append("}")
    lines.append(" ".join(str(i + 1) for i in range(int(np.prod(shape)))))
    write_atomic(path, "\n".join(lines) + "\n", overwrite=overwrite)


def _number(text: str) -> float | None:
    """A decimal (``-1.5``, ``2e3``) or a fraction (``3/4``) in ASCII digits as a finite float;
    None for anything else (``0_5``, full-width digits, ``1e400``, ``1/0``)."""
    numerator, slash, denominator = text.partition("/")
    if not slash:
        return strict_number(text)
    if not (_INTEGER.fullmatch(numerator) and denominator.isascii() and denominator.isdigit()):
        return None
    if len(text) > 400 or int(denominator) == 0:
        return None
    try:
        value = float(Fraction(int(numerator), int(denominator)))
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


class _Tokens:
    def __init__(self, text: str, file: str) -> None:
        self.items: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                if not text[position:].strip():
                    break
                raise InputError(f"{file}: unreadable text at character {position}")
            quoted, symbol, word = match.groups()
            if quoted is not None:
                self.items.append(("string", re.sub(r"\\(.)", r"\1", quoted)))
            elif symbol is not None:
                self.items.append(("symbol", symbol))
            elif word is not None:
                self.items.append(("word", word))
            position = match.end()
        self.at = 0
        self.file = file

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, what: str) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise InputError(f"{self.file}: file ends early; expected {what}")
        self.at += 1
        return token

    def expect(self, symbol: str, what: str) -> None:
        kind, text = self.take(what)
        if (kind, text) != ("symbol", symbol):
            raise InputError(f"{self.file}: expected {what}, found {text!r}")

    def string(self, what: str) -> str:
        kind, text = self.take(what)
        if kind != "string":
            raise InputError(f"{self.file}: expected {what} (a quoted string), found {text!r}")
        return text

    def number(self, what: str) -> float:
        kind, text = self.take(what)
        value = _number(text) if kind == "word" else None
        if value is None:
            raise InputError(f"{self.file}: expected {what} (a number), found {text[:40]!r}")
        return value

    def group(self, what: str) -> list[tuple[str, str]]:
        """The tokens of one ``{ ... }`` group without nested groups."""
        self.expect("{", f"'{{' opening {what}")
        items: list[tuple[str, str]] = []
        while True:
            token = self.take(f"'}}' closing {what}")
            if token == ("symbol", "}"):
                return items
            if token[0] == "symbol" and token[1] != ",":
                raise InputError(f"{self.file}: unexpected {token[1]!r} in {what}")
            if token[0] != "symbol":
                items.append(token)


def _header(tokens: _Tokens) -> None:
    _kind, text = tokens.take("'NFG'")
    if text.upper() == "EFG":
        raise InputError(
            f"{tokens.file}: an extensive-form game (Gambit .efg), not a strategic-form game (.nfg)"
        )
    if text != "NFG":
        raise InputError(
            f"{tokens.file}: not a Gambit strategic-form game: expected 'NFG 1 R' at the start, "
            f"found {text[:20]!r}"
        )
    version = tokens.take("the version")[1]
    precision = tokens.take("'R' or 'D'")[1]
    if version != "1" or precision not in ("R", "D"):
        raise InputError(
            f"{tokens.file}: unsupported header 'NFG {version} {precision}'; expected 'NFG 1 R'"
        )


def read_nfg(path: Path, players: int | None = None) -> NfgGame:
    """Read a Gambit ``.nfg`` file (outcome or payoff version).

    Parameters
    ----------
    path
        The file.
    players
        The number of players required (e.g. 2 for the bimatrix solver); ``None`` accepts any.

    Raises
    ------
    InputError
        Not a strategic-form game (the message says what it is: an extensive-form game, or
        not a Gambit file), the wrong number of players, or a malformed body.
    """
    file = display_path(path)
    raw = read_capped(path, MAX_NFG_BYTES, ".nfg")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{file}: not UTF-8 text (byte {error.start}: {error.reason})") from None
    tokens = _Tokens(text, file)
    _header(tokens)
    title = tokens.string("the title")
    names = [text for _, text in tokens.group("the players")]
    if players is not None and len(names) != players:
        raise InputError(
            f"{file}: a {len(names)}-player strategic-form game; {players} players are required"
        )
    if not names:
        raise InputError(f"{file}: a game without players")
    strategies, outcome_version = _strategies(tokens, len(names))
    shape = tuple(len(s) for s in strategies)
    comment = ""
    following = tokens.peek()
    if following is not None and following[0] == "string":
        comment = tokens.string("the comment")
    _refuse_control_characters(file, title, names, strategies, comment)
    size = math.prod(shape)
    if outcome_version:
        _enough(tokens, shape, size)
        table = _outcome_table(tokens, len(names), size)
    else:
        numbers = [tokens.number("a payoff") for _ in range(size * len(names))]
        table = np.array(numbers, dtype=np.float64).reshape(size, len(names))
    left = tokens.peek()
    if left is not None:
        raise InputError(f"{file}: unexpected {left[1]!r} after the payoffs")
    payoffs = tuple(table[:, p].reshape(shape, order="F").copy() for p in range(len(names)))
    return NfgGame(title, tuple(names), strategies, payoffs, comment)


def _strategies(tokens: _Tokens, count: int) -> tuple[tuple[tuple[str, ...], ...], bool]:
    tokens.expect("{", "'{' opening the strategies")
    first = tokens.peek()
    if first == ("symbol", "{"):
        groups = []
        for player in range(count):
            labels = [text for kind, text in tokens.group(f"the strategies of player {player + 1}")]
            if not labels:
                raise InputError(f"{tokens.file}: player {player + 1} has no strategies")
            groups.append(tuple(labels))
        tokens.expect("}", "'}' closing the strategies")
        return tuple(groups), True
    counts = []
    for player in range(count):
        value = tokens.number(f"the strategy count of player {player + 1}")
        if value < 1 or not float(value).is_integer():
            raise InputError(f"{tokens.file}: strategy count {value} of player {player + 1}")
        counts.append(int(value))
    tokens.expect("}", "'}' closing the strategy counts")
    _enough(tokens, counts, math.prod(counts) * count)  # before any label is made
    return tuple(tuple(str(i) for i in range(1, n + 1)) for n in counts), False


def _enough(tokens: _Tokens, shape: Sequence[int], needed: int) -> None:
    """Refuse a header whose strategy counts need more numbers than the file holds (checked
    before anything of that size is made: a header may declare 10^9 strategies)."""
    available = len(tokens.items) - tokens.at
    if needed > available:
        raise InputError(
            f"{tokens.file}: the strategies give {math.prod(shape):,} strategy profiles "
            f"({' x '.join(map(str, shape))}), which need {needed:,} numbers; the file holds "
            f"{available:,} more items"
        )


def _outcome_table(tokens: _Tokens, count: int, size: int) -> NDArray[np.float64]:
    tokens.expect("{", "'{' opening the outcomes")
    outcomes = [np.zeros(count)]
    while tokens.peek() != ("symbol", "}"):
        items = tokens.group(f"outcome {len(outcomes)}")
        numbers = [t for t in items if t[0] == "word"]
        if len(numbers) != count or (items and items[0][0] != "string"):
            raise InputError(
                f"{tokens.file}: outcome {len(outcomes)}: expected a label and {count} payoffs"
            )
        payoffs = [_number(t[1]) for t in numbers]
        if any(p is None for p in payoffs):
            raise InputError(
                f"{tokens.file}: outcome {len(outcomes)}: a payoff is not a finite number"
            )
        outcomes.append(np.array(payoffs, dtype=np.float64))
    tokens.expect("}", "'}' closing the outcomes")
    table = np.empty((size, count))
    for profile in range(size):
        index = tokens.number(f"the outcome of strategy profile {profile + 1}")
        if not float(index).is_integer() or not 0 <= index < len(outcomes):
            raise InputError(f"{tokens.file}: strategy profile {profile + 1}: no outcome {index:g}")
        table[profile] = outcomes[int(index)]
    return table


def game_from_nfg(game: NfgGame, name: str = "") -> SolvedGame:
    """Solve a game read from a ``.nfg`` file, of any number of players
    (:func:`sim.games.game.solve_game`: two players, every extreme equilibrium; more, pure
    equilibria exactly and mixed ones by support enumeration, saying what was not computed).

    Raises
    ------
    GameTooLargeError
        Three or more players and more strategy profiles than ``$SIM_MAX_PROFILES``; two
        players and more vertex systems than ``$SIM_MAX_VERTEX_SYSTEMS``.
    """
    shape = tuple(len(s) for s in game.strategies)
    if len(shape) > 2 and (too_large := profiles_refusal(shape, name or game.title)):
        raise GameTooLargeError(too_large)
    players = tuple(game.players)
    strategies = tuple(tuple(s) for s in game.strategies)
    payoffs = np.asarray(game.payoffs, dtype=np.float64)
    return solve_game(Game(name or game.title, players, strategies, payoffs))


def write_game_nfg(path: Path, game: SolvedGame) -> None:
    """Write a solved game (e.g. from ``sim games``) as a ``.nfg`` file, labels in words."""
    write_nfg(path, game.name, game.players, game.strategies, game.payoffs)


def _refuse_control_characters(
    file: str,
    title: str,
    players: Sequence[str],
    strategies: Sequence[Sequence[str]],
    comment: str,
) -> None:
    """Refuse a game whose text holds a control character (see sim/text.py)."""
    fields = [("the title", title), ("the comment", comment)]
    fields += [(f"player {p}", name) for p, name in enumerate(players, 1)]
    fields += [
        (f"player {p} strategy {s}", label)
        for p, labels in enumerate(strategies, 1)
        for s, label in enumerate(labels, 1)
    ]
    for field, text in fields:
        reason = control_character(text)
        if reason is not None:
            raise InputError(f"{file}: {field}: {reason}")
