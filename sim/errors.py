"""Typed errors raised by the library; the command line turns them into messages and exit 2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in an input file: where it is and why it is wrong."""

    file: str
    line: int | None
    path: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.reason}" if self.path else f"{where}: {self.reason}"


class SimError(Exception):
    """Base class of the errors the command line reports as bad input (exit status 2)."""

    def messages(self) -> list[str]:
        return [str(self)]


class ScenarioError(SimError):
    """One or more problems in scenario files."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics), key=_diagnostic_order)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def messages(self) -> list[str]:
        return [str(d) for d in self.diagnostics]


class InputError(SimError):
    """A bad command-line argument or a missing file, with a message naming what and why."""


def _diagnostic_order(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.file, d.line if d.line is not None else 0, d.path, d.reason)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside it, a symlink loop, no cwd
        return str(path)
