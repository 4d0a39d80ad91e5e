"""Checking that every quoted passage appears verbatim in its source document."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sim.errors import Diagnostic, display_path
from sim.model.checks import iter_quotes
from sim.model.resolve import LoadedScenario

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def fold(text: str) -> str:
    """Text as quotes are compared: typographic quotes made ASCII, runs of white space one space.

    Examples
    --------
    >>> fold("“under  any\\nconditions.”")
    '"under any conditions."'
    """
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHIC)).strip()


DOCUMENT_LIMIT = 64 * 2**20
"""Largest source document read (bytes)."""


def _documents(folder: Path) -> tuple[dict[str, str], list[Diagnostic]]:
    """The folded text of each regular file of the documents folder, by name: a link is read
    only if it stays in the folder, and a file over :data:`DOCUMENT_LIMIT` or unreadable is
    a problem, not read."""
    real = Path(os.path.realpath(folder))
    texts: dict[str, str] = {}
    problems = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not Path(os.path.realpath(path)).is_relative_to(real):
            continue
        try:
            size = path.stat().st_size
            if size > DOCUMENT_LIMIT:
                reason = f"{size:,} bytes, over the {DOCUMENT_LIMIT:,} read for a document"
                problems.append(Diagnostic(display_path(path), None, "", reason))
                continue
            texts[path.name] = fold(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as error:
            reason = f"cannot read: {error.strerror or error}"
            problems.append(Diagnostic(display_path(path), None, "", reason))
    return texts, problems


def check_quotes(loaded: LoadedScenario, documents: Path) -> list[Diagnostic]:
    """Problems with the quotes of one scenario against the documents in a folder.

    A quote whose source names a ``document`` must appear in that file; a quote whose source
    names none must appear in at least one file of the folder.
    """
    if not documents.is_dir():
        return [Diagnostic(display_path(documents), None, "", "documents folder not found")]
    texts, problems = _documents(documents)
    scenario = loaded.scenario
    for where, quote in iter_quotes(scenario):
        source = scenario.sources.get(quote.source)
        needle = fold(quote.quote)
        if source is not None and source.document is not None:
            if source.document not in texts:
                folder = display_path(documents)
                reason = f"source {quote.source!r} names {source.document!r}, not in {folder}"
                problems.append(loaded.locate(f"sources.{quote.source}.document", reason))
            elif needle not in texts[source.document]:
                reason = f"quote not found verbatim in {source.document}: {quote.quote[:60]!r}"
                problems.append(loaded.locate(f"{where}.quote", reason))
        elif not any(needle in text for text in texts.values()):
            reason = f"quote not found verbatim in any document: {quote.quote[:60]!r}"
            problems.append(loaded.locate(f"{where}.quote", reason))
    return problems
