"""Structural checks of a scenario for ``sim validate``: warnings, not errors, because a
scenario without a zone of agreement is a finding the user may want, not a mistake.

Each warning names the field it is about: a red line no evidence supports, a space with no
feasible bundle (red lines closing an issue), and a space with no bundle acceptable to every
veto party, with the red lines and reservations that, lifted alone, would open one
(:class:`sim.core.analysis.Binding`).
"""

from __future__ import annotations

from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.core.frontier import SpaceTooLargeError
from sim.errors import SimError
from sim.model import LoadedScenario


def structural_warnings(loaded: LoadedScenario) -> list[str]:
    """The structural warnings of one scenario (empty for a spatial reading alone)."""
    scenario = loaded.scenario
    warnings = [
        f"parties.{party}.red_lines.{k}: no evidence supports the red line on {line.issue} "
        f"({', '.join(line.options)})"
        for party, declared in scenario.parties.items()
        for k, line in enumerate(declared.red_lines)
        if not line.evidence
    ]
    if not scenario.issues:
        return warnings
    try:
        problem = compile_problem(scenario)
        analysis = analyse(problem, frontier_limit=1)
    except (SimError, SpaceTooLargeError):
        return warnings  # too large to count here: `sim run` says so
    if analysis.feasible == 0:
        closed = [
            f"issues.{issue}"
            for issue, allowed in zip(problem.issues, problem.feasible_options(), strict=True)
            if not allowed.any()
        ]
        warnings.append(
            f"no feasible bundle: the veto parties' red lines rule out every option of "
            f"{', '.join(closed)}"
        )
        return warnings
    if analysis.acceptable.value > 0:
        return warnings
    veto = [problem.parties[int(i)] for i in problem.veto_indices]
    binding = analysis.binding
    opens = [
        f"parties.{party}.red_lines"
        for party, binds in zip(veto, binding.red_lines_bind, strict=False)
        if binds
    ] + [
        f"parties.{party}.reservation"
        for party, binds in zip(veto, binding.reservation_binds, strict=False)
        if binds
    ]
    lifted = f"; lifting one of these alone would open one: {', '.join(opens)}" if opens else ""
    warnings.append(
        f"no zone of agreement: none of the {analysis.feasible:,} feasible bundles is acceptable "
        f"to every veto party{lifted}"
    )
    return warnings
