"""``sim import genius``: Genius XML or GeniusWeb JSON files in, one scenario file out."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError, ScenarioError, display_path
from sim.formats.domain import (
    Domain,
    Profile,
    identifiers,
    refuse_control_characters,
    scenario_document,
)
from sim.formats.genius import read_genius_domain, read_genius_profile
from sim.formats.geniusweb import (
    PROFILE_KEY,
    is_geniusweb_domain,
    profile_domain,
    read_geniusweb_domain,
    read_geniusweb_profile,
    read_json,
)
from sim.formats.xmlsafe import read_xml
from sim.model.resolve import load_scenario
from sim.writing import replaceable, write_atomic

_ID = re.compile(r"^[a-z0-9_-]+$")


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: the scenario file, its name, its issues and parties."""

    path: Path
    name: str
    issues: int
    parties: int
    bundles: int


def _is_json(path: Path) -> bool:
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() == ".xml" or not path.is_file():  # a FIFO must not be opened here
        return False
    try:
        with path.open("rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as error:
        raise InputError(f"{display_path(path)}: cannot read: {error.strerror}") from None
    return start.startswith((b"{", b"["))


def _same_issues(a: Domain, b: Domain) -> str:
    """Why two domains differ ("" when they have the same issues and values)."""
    left = {i.name: i.options for i in a.issues}
    right = {i.name: i.options for i in b.issues}
    for name in left.keys() ^ right.keys():
        return f"issue {name!r} is in only one of them"
    for name, options in left.items():
        if set(options) != set(right[name]):
            return f"issue {name!r} has different values"
    return ""


MAX_VALUES = 5_000
"""Default largest number of values of an imported domain, summed over its issues (raise it
with ``--max-values``): beyond a few thousand the scenario file outgrows the 1 MiB a scenario
may have."""


def _check_values(domain: Domain, max_values: int) -> None:
    total = sum(len(issue.options) for issue in domain.issues)
    if total > max_values:
        raise InputError(
            f"{domain.file}: {total:,} values over {len(domain.issues)} issues, more than the "
            f"limit of {max_values:,} (raise it with --max-values)"
        )


def read_negotiation(
    paths: Sequence[Path], discretise: int | None = None, max_values: int = MAX_VALUES
) -> tuple[Domain, list[Profile]]:
    """The domain and the profiles among Genius XML and GeniusWeb JSON files.

    One file must be a domain (Genius ``<negotiation_template>`` or GeniusWeb
    ``issuesValues``), unless GeniusWeb profiles carry their own; every other file is a
    profile, read in the order given.

    Raises
    ------
    InputError
        No domain or more than one, no profile, a profile whose domain differs, more than
        ``max_values`` values (or ``discretise`` above it), or any problem of the files
        themselves.
    """
    if discretise is not None and discretise < 2:
        raise InputError(f"--discretise: {discretise}: needs at least 2 values")
    if discretise is not None and discretise > max_values:
        raise InputError(
            f"--discretise: {discretise:,} values, more than the limit of {max_values:,} "
            "(raise it with --max-values)"
        )
    domains: list[Domain] = []
    xml_profiles: list[Path] = []
    json_profiles: list[tuple[Path, Any]] = []
    for path in paths:
        file = display_path(path)
        if _is_json(path):
            data = read_json(path)
            if is_geniusweb_domain(data):
                domains.append(read_geniusweb_domain(data, file, discretise))
            elif isinstance(data, dict) and PROFILE_KEY in data:
                json_profiles.append((path, data))
            else:
                kind = (
                    next(iter(data), "an empty object")
                    if isinstance(data, dict)
                    else "not an object"
                )
                raise InputError(
                    f"{file}: {kind}: neither a GeniusWeb domain (issuesValues) nor a "
                    f"{PROFILE_KEY} profile"
                )
        elif read_xml(path).tag == "negotiation_template":
            domains.append(read_genius_domain(path, discretise))
        else:
            xml_profiles.append(path)
    if len(domains) > 1:
        raise InputError(
            f"{domains[1].file}: a second domain ({domains[0].file} is the first); give one"
        )
    embedded = [
        (display_path(p), d)
        for p, data in json_profiles
        if (d := profile_domain(data, display_path(p), discretise)) is not None
    ]
    if domains:
        domain = domains[0]
    elif embedded:
        domain = embedded[0][1]
    else:
        raise InputError(
            "no domain: give a Genius domain file (<negotiation_template>) or GeniusWeb domain JSON"
        )
    _check_values(domain, max_values)
    for file, own in embedded:
        reason = _same_issues(domain, own)
        if reason:
            raise InputError(f"{file}: domain: differs from {domain.file}: {reason}")
    profiles: list[Profile] = []
    for path in paths:
        if path in xml_profiles:
            profiles.append(read_genius_profile(path, domain))
        for json_path, data in json_profiles:
            if json_path == path:
                profiles.append(read_geniusweb_profile(data, display_path(path), domain))
    if not profiles:
        raise InputError(f"{domain.file}: no profile given; each profile becomes a party")
    refuse_control_characters(domain, profiles)
    return domain, profiles


def _check_written(written: Path, out: Path) -> None:
    """Load the scenario file an import wrote (still under its temporary name) with sim's own
    loader; its problems are reported as problems of ``out``."""
    try:
        load_scenario(written)
    except ScenarioError as error:
        shown, temporary = display_path(out), display_path(written)
        raise ScenarioError(
            [
                dataclasses.replace(d, file=shown) if d.file == temporary else d
                for d in error.diagnostics
            ]
        ) from None


def import_genius(
    paths: Sequence[Path],
    out: Path,
    *,
    name: str | None = None,
    discretise: int | None = None,
    force: bool = False,
    max_values: int = MAX_VALUES,
) -> ImportResult:
    """Write the scenario file that Genius or GeniusWeb files describe (see docs/formats.md).

    The file is checked with sim's own loader before it replaces ``out``.

    Raises
    ------
    InputError
        ``out`` exists and ``force`` is not set, ``name`` is not an identifier, or the input
        files are bad or have more than ``max_values`` values (:func:`read_negotiation`).
    """
    if out.exists() and not force:
        raise InputError(f"{display_path(out)}: --out: file exists; pass --force to overwrite it")
    replaceable(out, overwrite=True)  # a folder, link or device: refused before reading
    if name is not None and not _ID.match(name):
        raise InputError(f"--name: {name!r}: must match [a-z0-9_-]+")
    domain, profiles = read_negotiation(paths, discretise, max_values)
    scenario_name = name or identifiers([domain.name], "imported")[0]
    document = scenario_document(domain, profiles, scenario_name)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    write_atomic(out, text, overwrite=force, check=lambda written: _check_written(written, out))
    bundles = 1
    for issue in domain.issues:
        bundles *= len(issue.options)
    return ImportResult(out, scenario_name, len(domain.issues), len(profiles), bundles)
