"""The terminal rendering of `sim uncertainty`'s summary document."""

from __future__ import annotations

from typing import Any


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


def _share(p: float, ci: list[float]) -> str:
    return f"{_pct(p)} [{_pct(ci[0])}, {_pct(ci[1])}]"


def _difference(entry: dict[str, Any]) -> str:
    low, high = entry["ci"]
    return f"{100 * entry['difference']:+.1f} pts [{100 * low:+.1f}, {100 * high:+.1f}]"


def _words(modal: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in modal["bundle"].items())


def render_scenario(name: str, s: dict[str, Any]) -> str:
    """One scenario's summary as text."""
    low, high = s["p_zone_ci"]
    q = s["acceptable"]["quantiles"]
    lines = [
        f"== {name} ({s['draws']} draws, {s['judgments']} judgments vary)",
        f"zone of agreement: {_pct(s['p_zone'])} of draws [95%: {_pct(low)}, {_pct(high)}]",
        f"acceptable bundles: mean {s['acceptable']['mean']:.1f}, "
        f"5% {q['0.05']:g}, median {q['0.5']:g}, 95% {q['0.95']:g}",
    ]
    if s["proposals"]:
        lines.append("proposals (share of draws accepting, 95% interval):")
        for pid, entry in s["proposals"].items():
            ci = s["proposals_ci"][pid]
            parts = [
                f"{party} {_share(p, ci[party])}" for party, p in entry.items() if party != "all"
            ]
            lines.append(
                f"  {pid}: all veto parties {_share(entry['all'], ci['all'])}; " + "; ".join(parts)
            )
    robust = s["robust_bundles"]
    lines.append(
        f"robust bundles (acceptable in >= {_pct(s['robust_threshold'])} of draws): {len(robust)}"
    )
    for row in robust[:5]:
        lines.append(f"  {_pct(row['p_acceptable'])}  {row['words']}")
    if s["top_bundles"]:
        lines.append("most often acceptable:")
        for row in s["top_bundles"]:
            lines.append(f"  {_pct(row['p_acceptable'])}  {row['words']}")
    lines.append("solutions (share of draws with a solution; its modal bundle and share):")
    for key, sol in s["solutions"].items():
        exists = _pct(sol["p_exists"]["p"])
        if sol["modal"] is None:
            lines.append(f"  {key}: none in any draw")
            continue
        modal = sol["modal"]
        lines.append(f"  {key}: exists in {exists}; modal in {_pct(modal['p'])}: {_words(modal)}")
    nash = s["solutions"].get("nash")
    if nash and nash["options"]:
        unsettled = {
            issue: options
            for issue, options in nash["options"].items()
            if max(options.values()) < 0.95
        }
        lines.append(f"  nash, issues without a 95% option where it exists: {len(unsettled)}")
        for issue, options in unsettled.items():
            shares = ", ".join(f"{o} {_pct(p)}" for o, p in options.items())
            lines.append(f"      {issue}: {shares}")
    bargaining = s.get("bargaining")
    if bargaining and bargaining["draws"]:
        some = _share(bargaining["p_agreement"], bargaining["p_agreement_ci"])
        which = (
            "every draw"
            if bargaining["draws"] == s["draws"]
            else f"first {bargaining['draws']} draws"
        )
        lines.append(
            f"bargaining over time ({which}): agreement within the horizon under some "
            f"protocol {some}"
        )
        for name, entry in bargaining["protocols"].items():
            median = entry["period"]["median"]
            when = f", median month {median:g}" if median is not None else ""
            agrees = _share(entry["p_agreement"], entry["p_agreement_ci"])
            holds = _share(entry["p_self_enforcing"], entry["p_self_enforcing_ci"])
            lines.append(f"  {name}: agrees {agrees}{when}; self-enforcing {holds}")
    talks = s.get("talks")
    if talks and talks["draws"]:
        lines += talks_summary_lines(talks)
    versus = s["versus_parent"]
    if versus["parent"]:
        lines.append(
            f"versus {versus['parent']} (paired, same draws of {versus['shared_judgments']} "
            "shared judgments):"
        )
        lines.append(f"  zone of agreement: {_difference(versus['p_zone'])}")
        lines.append(f"  acceptable bundles (mean): {versus['acceptable_mean']['difference']:+.2f}")
        for pid, entry in versus["proposals"].items():
            lines.append(f"  {pid} accepted by all: {_difference(entry['all'])}")
        for name, entry in (versus.get("bargaining") or {}).items():
            lines.append(
                f"  {name}: agreement {_difference(entry['p_agreement'])}, "
                f"self-enforcing {_difference(entry['p_self_enforcing'])}"
            )
    sens = s.get("sensitivity")
    if sens:
        lines.append(f"sensitivity ({sens['method']}):")
        indices = {h: r for h, r in sens.items() if h not in ("method", "tornado", "noise")}
        constant = [h for h, ranked in indices.items() if isinstance(ranked, str)]
        if constant:
            lines.append(f"  constant over the draws: {', '.join(constant)}")
        for headline, ranked in indices.items():
            if isinstance(ranked, str):
                continue
            noise = sens["noise"][headline]
            above = [r for r in ranked if r["above_noise"]][:5]
            top = ", ".join(f"{r['path']} {r['index']:.2f}" for r in above) or "none"
            lines.append(f"  {headline} (noise level {noise:.2f}): {top}")
        flips = sens["tornado"]
        lines.append(
            f"tornado (one judgment at an end of its spread flips a headline): {len(flips)}"
        )
        for flip in flips[:12]:
            lines.append(
                f"  {flip['path']} at {flip['end']} ({flip['value']:.3g}): "
                f"{flip['headline']} {flip['stated']} -> {flip['moved']}"
            )
        if len(flips) > 12:
            lines.append(f"  ... {len(flips) - 12} more in summary.json")
    if "spatial" in s:
        from sim.report.spatial_text import render_draws

        lines += ["spatial forecast (the scenario's spatial reading, same draws and seed):"]
        lines += [f"  {line}" for line in render_draws(s["spatial"]).splitlines()]
    return "\n".join(lines)


def render_uncertainty(document: dict[str, Any]) -> str:
    """The whole summary document as text."""
    head = [f"sim uncertainty: {document['draws']} draws, seed {document['seed']}"]
    head += [f"note: {n}" for n in document.get("notes", [])]
    body = [render_scenario(name, s) for name, s in document["scenarios"].items()]
    return "\n\n".join(["\n".join(head), *body])


def talks_summary_lines(talks: dict[str, Any]) -> list[str]:
    """Why talks fail over the draws (docs/strategic.md)."""
    lines = []
    screening = talks.get("screening")
    if screening:
        by = screening["p_agreement_by"]
        last = str(len(by) - 1)
        months = [m for m in ("0", "6", "12", "24") if m in by] or [last]
        spread = screening["expected_month"]
        mean = "-" if spread["mean"] is None else f"{spread['mean']:.2f}"
        lines.append(
            "screening under private information: agreement "
            + ", ".join(f"{_pct(by[m])} by month {m}" for m in months)
            + f"; expected month {mean} (mean over draws); "
            f"no agreement by the horizon {_pct(screening['p_breakdown'])}"
        )
    problem = _share(talks["p_commitment_problem"], talks["p_commitment_problem_ci"])
    threshold = talks["optimism_threshold"]
    median = "-" if threshold["quantiles"] is None else f"{threshold['quantiles']['0.5']:.3f}"
    lines.append(f"commitment problem in {problem} of draws; optimism threshold median {median}")
    return lines
