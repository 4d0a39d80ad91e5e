"""Figures drawn from the data: what is plotted equals what an independent computation gives.

The oracles enumerate every bundle of a small hand-written scenario with itertools and compute
utilities, feasibility, acceptability, the Pareto frontier and the option shares from the
scenario's own numbers, without the library's core.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from sim.api import analyse, load_scenario
from sim.compile import compile_problem
from sim.errors import InputError
from sim.figures import FIGURES, figure_kind, kinds_for
from sim.figures.chart import _shared_styles, names_of, svg_text
from sim.figures.games import games_chart, pure_cells
from sim.figures.space import space_chart
from sim.figures.sweep import known_metrics, sweep_chart
from sim.figures.zone import zone_chart
from tests.conftest import WAR

ISSUES = {
    "border": ["west", "middle", "east", "north"],
    "status": ["aligned", "neutral", "split"],
    "trade": ["open", "closed"],
}
WEIGHTS = {"a": {"border": 3, "status": 2, "trade": 1}, "b": {"border": 2, "status": 1, "trade": 2}}
VALUES = {
    "a": {
        "border": [0.0, 0.5, 1.0, 0.7],
        "status": [0.0, 1.0, 0.6],
        "trade": [0.2, 1.0],
    },
    "b": {
        "border": [1.0, 0.6, 0.0, 0.3],
        "status": [1.0, 0.3, 0.5],
        "trade": [1.0, 0.0],
    },
}
RESERVATION = {"a": 0.35, "b": 0.3}
RED_LINE = ("b", "border", "west")


def scenario_text(title: str = "Two sides <b>split</b> a border") -> str:
    def values(party: str) -> str:
        return "\n".join(
            f"      {issue}: {{{', '.join(f'{o}: {v}' for o, v in zip(ISSUES[issue], VALUES[party][issue], strict=True))}}}"  # noqa: E501
            for issue in ISSUES
        )

    issues = "\n".join(
        f"  {issue}:\n    options: {{{', '.join(f'{o}: {o}' for o in options)}}}"
        for issue, options in ISSUES.items()
    )
    parties = "\n".join(
        f"""  {party}:
    title: Side {party.upper()}
    reservation: {RESERVATION[party]}
    weights: {{{", ".join(f"{i}: {w}" for i, w in WEIGHTS[party].items())}}}
    values:
{values(party)}"""
        for party in ("a", "b")
    )
    parties += """
    red_lines:
      - issue: border
        options: [west]
        evidence: [{assumption: "Side B never cedes the west."}]"""
    quoted = title.replace("'", "''")
    return f"""name: split
title: '{quoted}'
issues:
{issues}
parties:
{parties}
proposals:
  deal:
    title: Middle and neutral
    terms: {{border: middle, status: neutral, trade: open}}
  half:
    terms: {{border: east}}
"""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "split.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    return path


def brute_force() -> dict[str, object]:
    """Every bundle's utilities, feasibility and acceptability, by enumeration."""
    bundles, utilities, feasible, acceptable = [], [], [], []
    for choice in itertools.product(*[range(len(o)) for o in ISSUES.values()]):
        terms = dict(zip(ISSUES, choice, strict=True))
        u = []
        for party in ("a", "b"):
            total = sum(WEIGHTS[party].values())
            u.append(sum(WEIGHTS[party][i] / total * VALUES[party][i][terms[i]] for i in ISSUES))
        # the red line is declared by b (the second party); both are veto parties
        ok = ISSUES["border"][terms["border"]] != RED_LINE[2]
        bundles.append(terms)
        utilities.append(u)
        feasible.append(ok)
        acceptable.append(
            ok and u[0] >= RESERVATION["a"] - 1e-12 and u[1] >= RESERVATION["b"] - 1e-12
        )
    u_arr = np.array(utilities)
    ok_arr = np.array(acceptable)
    points = u_arr[ok_arr]
    frontier = {
        tuple(np.round(p, 9))
        for p in points
        if not any((q >= p - 1e-12).all() and (q > p + 1e-12).any() for q in points)
    }
    return {
        "bundles": bundles,
        "utilities": u_arr,
        "feasible": np.array(feasible),
        "acceptable": ok_arr,
        "frontier": frontier,
    }


def test_space_plots_the_computed_frontier_and_every_feasible_bundle(scenario: Path) -> None:
    loaded = load_scenario(scenario)
    outcome = analyse(loaded)
    chart = space_chart(outcome, compile_problem(loaded.scenario), names_of(loaded.scenario))
    truth = brute_force()
    assert outcome.space.acceptable == int(truth["acceptable"].sum())  # type: ignore[union-attr]
    ax = chart.figure.axes[0]
    by_gid = {c.get_gid(): c for c in ax.collections if c.get_gid()}
    plotted = {tuple(np.round(p, 9)) for p in by_gid["a-b-frontier"].get_offsets()}
    assert plotted == truth["frontier"]
    # the cloud: one marker per distinct position of the feasible bundles, split by acceptability
    feasible_u = truth["utilities"][truth["feasible"]]  # type: ignore[index]
    ok = truth["acceptable"][truth["feasible"]]  # type: ignore[index]
    drawn_ok = {tuple(np.round(p, 9)) for p in by_gid["a-b-acceptable"].get_offsets()}
    drawn_rest = {tuple(np.round(p, 9)) for p in by_gid["a-b-feasible"].get_offsets()}
    assert drawn_ok == {tuple(np.round(p, 9)) for p in feasible_u[ok]}
    assert drawn_rest == {tuple(np.round(p, 9)) for p in feasible_u[~ok]}
    # solutions and proposals are plotted where the outcome puts them
    nash = outcome.solution("nash")
    assert nash is not None
    assert np.allclose(by_gid["a-b-solution-nash"].get_offsets()[0], nash.utilities[:2])
    deal = by_gid["a-b-proposal-0"].get_offsets()[0]
    terms = {"border": 1, "status": 1, "trade": 0}
    expected = [
        sum(WEIGHTS[p][i] / sum(WEIGHTS[p].values()) * VALUES[p][i][terms[i]] for i in ISSUES)
        for p in ("a", "b")
    ]
    assert np.allclose(deal, expected)
    assert "Side A" in chart.figure.axes[0].get_xlabel()


def test_space_svg_has_a_title_on_every_frontier_point_naming_its_terms(scenario: Path) -> None:
    loaded = load_scenario(scenario)
    outcome = analyse(loaded)
    chart = space_chart(outcome, compile_problem(loaded.scenario))
    svg = svg_text(chart, "t")
    group = re.search(r'<g id="t-a-b-frontier">(.*?)</g>\s*</g>', svg, re.S)
    assert group is not None
    titles = re.findall(r"<title>(.*?)</title>", group.group(1), re.S)
    assert len(titles) == len(outcome.frontier)
    for point, title in zip(outcome.frontier, titles, strict=True):
        assert f"frontier bundle {point.bundle.index}" in title
        assert point.bundle.words() in title


def test_caption_of_an_empty_zone_gives_each_sides_gap(tmp_path: Path) -> None:
    path = tmp_path / "split.yaml"
    path.write_text(scenario_text().replace("reservation: 0.35", "reservation: 0.95"))
    loaded = load_scenario(path)
    outcome = analyse(loaded)
    chart = space_chart(outcome, compile_problem(loaded.scenario), names_of(loaded.scenario))
    truth = brute_force()
    u, feasible = truth["utilities"], truth["feasible"]
    best_a = max(u[k][0] for k in range(len(u)) if feasible[k] and u[k][1] >= 0.3 - 1e-12)  # type: ignore[index]
    assert outcome.space.acceptable == 0
    assert chart.caption.startswith("No bundle is acceptable to every veto party")
    assert (
        f"Side A's best bundle acceptable to Side B is {0.95 - best_a:.3f} below" in chart.caption
    )


def test_zone_bars_equal_the_option_shares_and_a_brute_force_count(scenario: Path) -> None:
    loaded = load_scenario(scenario)
    outcome = analyse(loaded)
    chart = zone_chart(outcome, names_of(loaded.scenario))
    ax = chart.figure.axes[0]
    widths = [p.get_width() for p in ax.patches]
    expected = [v for _, shares in outcome.option_shares for v in shares if v > 0]
    assert np.allclose(widths, expected)
    truth = brute_force()
    chosen = [b for b, ok in zip(truth["bundles"], truth["acceptable"], strict=True) if ok]  # type: ignore[call-overload]
    for issue, options in ISSUES.items():
        counted = [
            sum(1 for b in chosen if b[issue] == k) / len(chosen) for k in range(len(options))
        ]
        assert np.allclose(chart.data["shares"][issue], counted)  # type: ignore[index]


def test_game_tables_shade_exactly_the_pure_equilibria() -> None:
    """The war fixture's games (compliance games and the positions game): the shaded cells are
    the pure equilibria found by checking every cell's best responses."""
    loaded = load_scenario(WAR / "sanctions_threat.yaml")
    outcome = analyse(loaded)
    chart = games_chart(outcome)
    exact = 0
    keys: list[str] = []
    for game in (g.game for g in outcome.games.games if hasattr(g, "game")):
        if len(game.players) != 2:  # tables are drawn for two-player games
            continue
        a, b = game.payoffs
        brute = {
            (r, c)
            for r in range(a.shape[0])
            for c in range(a.shape[1])
            if a[r, c] >= a[:, c].max() - game.tolerance
            and b[r, c] >= b[r, :].max() - game.tolerance
        }
        marked = set(pure_cells(game))
        assert marked <= brute
        if not game.degenerate:
            assert marked == brute
            exact += 0 < len(brute) < a.size  # some cells shaded, some not
        key = game.name if game.bundle is None else f"{game.name}-{game.bundle.index}"
        assert chart.data["cells"][key] == pure_cells(game)  # type: ignore[index]
        keys.append(key)
    assert exact >= 2
    assert sorted(chart.data["cells"]) == sorted(keys)  # type: ignore[call-overload]
    assert len(set(keys)) == len(keys) > 2  # several compliance games, none lost


def sweep_rows() -> tuple[list[dict[str, str]], list[str]]:
    keys = ["levers.aid.value", "levers.momentum.value"]
    rows = []
    point = 0
    for aid in ("0", "0.5", "1"):
        for momentum in ("0", "1"):
            row = {"point": str(point), keys[0]: aid, keys[1]: momentum, "error": ""}
            if (aid, momentum) == ("0.5", "1"):
                row["error"] = "ScenarioError('bad point')"
                row["zopa_share"] = ""
            else:
                row["zopa_share"] = str(float(aid) * 0.1 + float(momentum) * 0.01)
            row["nash_bundle"] = ""
            rows.append(row)
            point += 1
    return rows, keys


def test_heatmap_cells_equal_the_table_and_failed_points_are_marked() -> None:
    rows, keys = sweep_rows()
    chart = sweep_chart(rows, keys, "zopa_share")
    ax = chart.figure.axes[0]
    mesh = next(c for c in ax.collections if c.__class__.__name__ == "QuadMesh")
    grid = np.asarray(mesh.get_array()).reshape(2, 3)  # momentum rows, aid columns
    for row in rows:
        r = int(row[keys[1]])
        c = ("0", "0.5", "1").index(row[keys[0]])
        if row["error"]:
            assert np.ma.is_masked(grid[r, c]) or np.isnan(grid[r, c])
        else:
            assert grid[r, c] == pytest.approx(float(row["zopa_share"]))
    crosses = [c for c in ax.collections if c.get_label() == "failed point"]
    assert [tuple(p) for p in crosses[0].get_offsets()] == [(0.5, 1.0)]
    assert "1 point failed" in chart.caption


def test_line_sweep_over_one_key() -> None:
    rows = [{"point": str(i), "k": str(i), "acceptable": str(i * i), "error": ""} for i in range(5)]
    chart = sweep_chart(rows, ["k"], "acceptable")
    line = chart.figure.axes[0].lines[0]
    assert list(line.get_xdata()) == [0, 1, 2, 3, 4]
    assert list(line.get_ydata()) == [0, 1, 4, 9, 16]


def test_a_constant_metric_says_so() -> None:
    rows = [{"point": str(i), "k": str(i), "acceptable": "0", "error": ""} for i in range(4)]
    chart = sweep_chart(rows, ["k"], "acceptable")
    assert "acceptable is 0 at every point that has a value." in chart.caption
    assert "ranges from" not in chart.caption


def test_unknown_metric_lists_the_known_ones() -> None:
    rows, keys = sweep_rows()
    assert known_metrics(rows, keys) == ["zopa_share"]  # nash_bundle holds words
    with pytest.raises(InputError, match=r"unknown metric 'nope' \(known: zopa_share\)"):
        sweep_chart(rows, keys, "nope")


def test_every_kind_is_declared_once_and_unknown_kinds_are_refused() -> None:
    names = [k.name for k in FIGURES]
    assert len(names) == len(set(names))
    assert [k.name for k in kinds_for("run")] == [
        "space",
        "zone",
        "timeline",
        "agreement",  # in the order of the report's sections: talks before games
        "games",
    ]
    with pytest.raises(InputError, match="known: space, zone, timeline, agreement, games, sweep"):
        figure_kind("pie")


def test_svg_is_self_contained_and_ids_are_unique_per_figure(scenario: Path) -> None:
    loaded = load_scenario(scenario)
    outcome = analyse(loaded)
    chart = zone_chart(outcome)
    one, two = svg_text(chart, "one"), svg_text(chart, "two")
    ids_one = set(re.findall(r'id="([^"]+)"', one))
    ids_two = set(re.findall(r'id="([^"]+)"', two))
    assert ids_one and not ids_one & ids_two
    for svg in (one, two):
        assert not re.search(r'(href|src)="(https?:|//)|url\((https?:|//)|@import', svg)
        assert "<script" not in svg and "@font-face" not in svg
        refs = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(re.findall(r'href="#([^"]+)"', svg))
        assert refs <= set(re.findall(r'id="([^"]+)"', svg))


FLIP = {"value": 0.5, "stated": True, "moved": False}


def test_uncertainty_bars_equal_the_summary() -> None:
    from sim.figures.uncertainty import uncertainty_chart
    from tests import summaries

    summary = summaries.scenario(
        draws=100,
        zone=summaries.odds(0.4, 0.3, 0.5),
        solutions={
            "nash": summaries.solution(
                0.25, summaries.odds(0.4, 0.3, 0.5), border={"middle": 0.75, "east": 0.25}
            )
        },
        proposals={
            "deal": {"all": summaries.odds(0.2, 0.1, 0.3)},
            "half": {"all": summaries.odds(0.6, 0.5, 0.7)},
        },
        sensitivity=summaries.sensitivity(
            tornado=[
                {"path": "parties.a.weights.border", "end": "low", "headline": "zone", **FLIP},
                {"path": "parties.a.weights.border", "end": "high", "headline": "nash", **FLIP},
                {
                    "path": "parties.a.weights.border",
                    "end": "high",
                    "headline": "proposal.deal",
                    **FLIP,
                },
                {"path": "parties.b.weights.trade", "end": "low", "headline": "zone", **FLIP},
            ]
        ),
    )
    chart = uncertainty_chart("split", summary)
    heads = chart.data["headlines"]
    assert heads == [
        ("a zone of agreement exists", 0.4, 0.3, 0.5),
        ("nash solution exists", 0.4, 0.3, 0.5),
        ("deal accepted by every veto party", 0.2, 0.1, 0.3),
        ("half accepted by every veto party", 0.6, 0.5, 0.7),
    ]
    bars = [p.get_width() for p in chart.figure.axes[0].patches]
    assert np.allclose(bars, [0.4, 0.4, 0.2, 0.6])
    tornado = chart.figure.axes[2].patches
    widths = sorted(p.get_width() for p in tornado)
    # border: 1 headline at its low end, 2 at its high end; trade: 1 at its low end
    assert widths == [-1, -1, 0, 2]
    assert "parties.a.weights.border" in chart.caption


def test_without_flips_the_judgments_are_ranked_by_their_index_for_the_zone() -> None:
    """No single judgment flips a headline: the third panel shows the PAWN ranking of the
    zone's existence as the sensitivity document stores it (its ``p_zone`` list)."""
    from sim.figures.uncertainty import uncertainty_chart
    from tests import summaries

    ranking = [
        {"path": "war.prevail.base", "index": 0.4, "above_noise": True},
        {"path": "parties.a.weights.border", "index": 0.1, "above_noise": False},
    ]
    summary = summaries.scenario(
        sensitivity=summaries.sensitivity(noise={"p_zone": 0.05}, p_zone=ranking)
    )
    chart = uncertainty_chart("split", summary)
    assert [p.get_width() for p in chart.figure.axes[2].patches] == [0.4, 0.1]
    assert "global sensitivity index for the zone (1 of 2 above the noise level 0.050" in (
        chart.caption
    )
    assert chart.data["noise"] == 0.05


def test_uncertainty_parts_not_recorded_are_said_to_be_missing() -> None:
    from sim.figures.uncertainty import uncertainty_chart
    from tests import summaries

    nothing = summaries.scenario(draws=10, solutions={"nash": summaries.solution()})
    chart = uncertainty_chart("split", nothing)
    # the zone is always recorded; no solution exists in any draw, no sensitivity was asked
    assert chart.caption.count("not available in this run") == 2


def test_compare_plots_old_and_new_of_each_changed_number() -> None:
    from sim.figures.compare import compare_chart
    from sim.runs.compare import Change, Comparison

    comparison = Comparison(
        run_a="a",
        run_b="b",
        keys=("scenario",),
        matched=1,
        changes=(
            Change(("x",), "zopa_share", 0.1, 0.3),
            Change(("x",), "acceptable", 4, 2),
            Change(("x",), "nash_bundle", "one", "two"),
        ),
        only_a=(),
        only_b=(),
        columns_only_a=(),
        columns_only_b=(),
    )
    chart = compare_chart(comparison)
    shares, counts = chart.figure.axes[:2]  # utilities and counts on scales of their own

    def ends(ax: object) -> list[list[tuple[float, float]]]:
        return [
            [tuple(p) for p in c.get_offsets()]
            for c in ax.collections  # type: ignore[attr-defined]
            if c.get_label().startswith(("run A", "run B"))
        ]

    assert ends(shares) == [[(0.1, 0.0)], [(0.3, 0.0)]]
    assert ends(counts) == [[(4.0, 0.0)], [(2.0, 0.0)]]
    assert "1 change of words" in chart.caption


def test_large_spaces_are_drawn_as_a_density_and_say_so(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    issues = {f"i{k}": [f"o{j}" for j in range(6)] for k in range(5)}  # 7,776 bundles
    lines = ["name: big", "issues:"]
    for issue, options in issues.items():
        lines.append(f"  {issue}: {{options: {{{', '.join(f'{o}: {o}' for o in options)}}}}}")
    lines.append("parties:")
    for party, reservation in (("a", 0.5), ("b", 0.5)):
        lines += [f"  {party}:", f"    reservation: {reservation}", "    weights: {"]
        lines[-1] += ", ".join(f"{i}: 1" for i in issues) + "}"
        lines.append("    values:")
        for issue, options in issues.items():
            values = ", ".join(f"{o}: {rng.uniform():.3f}" for o in options)
            lines.append(f"      {issue}: {{{values}}}")
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_scenario(path)
    outcome = analyse(loaded)
    chart = space_chart(outcome, compile_problem(loaded.scenario))
    ax = chart.figure.axes[0]
    gids = {c.get_gid() for c in ax.collections}
    assert "a-b-feasible" not in gids  # no marker per bundle
    assert any(c.__class__.__name__ == "PolyCollection" for c in ax.collections)  # hexbin
    assert "The 7,776 feasible bundles are drawn as a density" in chart.caption
    svg = svg_text(chart, "d")
    assert svg.count("frontier bundle ") == len(outcome.frontier) > 0


def test_scattered_sweep_points_carry_their_keys_and_value() -> None:
    rng = np.random.default_rng(3)
    keys = ["aid", "momentum", "sanctions"]
    rows = []
    for i in range(40):
        row = {"point": str(i), **{k: f"{rng.uniform():.4f}" for k in keys}, "error": ""}
        row["acceptable"] = "" if i % 7 == 0 else str(i)
        rows.append(row)
    chart = sweep_chart(rows, keys, "acceptable")
    drawn = [r for r in rows if r["acceptable"]]
    for n, key in enumerate(keys):  # one panel per key: the third key is shown too
        ax = chart.figure.axes[n]
        points = next(c for c in ax.collections if c.get_gid() == f"sweep-points-{n}")
        assert np.allclose(
            points.get_offsets(), [[float(r[key]), float(r["acceptable"])] for r in drawn]
        )
        titles = chart.hover[f"sweep-points-{n}"]
        assert titles[0] == (
            f"point 1: aid = {rows[1]['aid']}, momentum = {rows[1]['momentum']}, "
            f"sanctions = {rows[1]['sanctions']}; acceptable = 1"
        )
        assert len(titles) == len(drawn)
    assert "One panel per key (aid, momentum, sanctions)" in chart.caption
    assert "6 points have no value" in chart.caption
    svg = svg_text(chart, "s")
    assert svg.count("<title>point ") == 3 * len(drawn)


def test_two_scattered_keys_colour_the_points_by_the_metric() -> None:
    rng = np.random.default_rng(4)
    rows = [
        {"point": str(i), "aid": f"{rng.uniform():.4f}", "momentum": f"{rng.uniform():.4f}"}
        | {"error": "", "acceptable": str(i)}
        for i in range(30)
    ]
    chart = sweep_chart(rows, ["aid", "momentum"], "acceptable")
    points = next(c for c in chart.figure.axes[0].collections if c.get_gid() == "sweep-points")
    assert np.allclose(
        points.get_offsets(), [[float(r["aid"]), float(r["momentum"])] for r in rows]
    )
    assert np.allclose(points.get_array(), [float(r["acceptable"]) for r in rows])


def test_a_constant_heatmap_is_not_drawn_as_a_colour_scale() -> None:
    rows, keys = sweep_rows()
    for row in rows:
        row["zopa_share"] = "" if row["error"] else "0"
    chart = sweep_chart(rows, keys, "zopa_share")
    ax = chart.figure.axes[0]
    assert not [c for c in ax.collections if c.__class__.__name__ == "QuadMesh"]
    assert len(chart.figure.axes) == 1  # no colour bar
    assert ax.get_title(loc="left") == "zopa_share is 0 at every point (constant)"


def test_dollar_signs_in_scenario_text_are_drawn_as_written(tmp_path: Path) -> None:
    path = tmp_path / "split.yaml"
    title = r"Aid from $\notacommand 2 to $3 billion"  # two $: TeX math to matplotlib
    path.write_text(scenario_text(title), encoding="utf-8")
    loaded = load_scenario(path)
    outcome = analyse(loaded)
    svg = svg_text(zone_chart(outcome), "m")
    assert r"Aid from $\notacommand 2 to $3 billion" in svg


def test_a_segment_too_narrow_for_its_title_takes_its_short_name() -> None:
    from sim.figures.chart import new_figure, stacked_shares

    figure = new_figure(3, 2)
    ax = figure.add_subplot()
    ax.set_xlim(0, 1)
    long = "A very long option title that cannot fit inside half of a three-inch bar"
    stacked_shares(
        ax,
        0,
        [(long, 0.5), ("Short", 0.5)],
        label_from=0.08,
        fontsize=7,
        short=["long option", "short"],
    )
    assert sorted(t.get_text() for t in ax.texts) == ["Short", "long option"]
    ax.clear()
    ax.set_xlim(0, 1)
    stacked_shares(ax, 0, [(long, 0.5), ("Short", 0.5)], label_from=0.08, fontsize=7)
    assert [t.get_text() for t in ax.texts] == ["Short"]  # without short names: left unnamed


def test_markers_sharing_a_style_carry_it_once_on_their_group(scenario: Path) -> None:
    """A scatter's markers that all have one style get it from their group (SVG inheritance),
    so each marker is shorter; a group whose markers differ, or where one has no style, is
    left as it was."""
    same = (
        '<g clip-path="url(#p1)">\n<use xlink:href="#m" x="1" y="2" style="fill: #abc"/>\n'
        '<use xlink:href="#m" x="3" y="4" style="fill: #abc"/>\n</g>'
    )
    hoisted = _shared_styles(same)
    assert hoisted == (
        '<g clip-path="url(#p1)" style="fill: #abc">\n<use xlink:href="#m" x="1" y="2"/>\n'
        '<use xlink:href="#m" x="3" y="4"/>\n</g>'
    )
    mixed = same.replace('y="4" style="fill: #abc"', 'y="4" style="fill: #def"')
    assert _shared_styles(mixed) == mixed
    partly = same.replace('y="4" style="fill: #abc"', 'y="4"')
    assert _shared_styles(partly) == partly
    loaded = load_scenario(scenario)
    chart = space_chart(analyse(loaded), compile_problem(loaded.scenario))
    figure = svg_text(chart, "t")
    scatters = re.findall(r'<g clip-path="[^"]*"( style="[^"]*")?>\s*<use ([^>]*?)/?>', figure)
    assert scatters and all(group and "style=" not in marker for group, marker in scatters)
