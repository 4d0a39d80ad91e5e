"""Reports of the war fixture family as a person sees them: rendered by headless Chromium.

Chromium is driven over the DevTools protocol in pipe mode (``--remote-debugging-pipe``:
commands on file descriptor 3, replies and events on 4, each a JSON message ended by NUL), so
no extra package is needed. Checks: no console error or uncaught exception, every figure (an
inline ``<svg>``) has a non-empty bounding box, and the page makes no network request (only
the report's own ``file://`` URL is loaded).

Screenshots of the war fixture's report (with its uncertainty run beside it), a sweep report, an
uncertainty report and a comparison report are kept as test artefacts in
``build/screenshots/`` (or ``$SIM_SCREENSHOTS``): ``<name>-top.png``, the first screen a
reader sees, and ``<name>-page.png``, the whole page at half scale (cut at 16,000 pixels).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip("matplotlib")

from sim.cli import app
from tests.conftest import WAR

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _place(commands: int, replies: int) -> None:
    """In the child: the command pipe on fd 3, the reply pipe on fd 4."""
    first, second = os.dup(commands), os.dup(replies)
    os.dup2(first, 3)
    os.dup2(second, 4)


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # the child's fd 3 reads commands and fd 4 writes replies
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=lambda: _place(to_chrome_r, from_chrome_w),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.deadline = time.monotonic() + TIMEOUT

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the debugging pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        request: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            request["sessionId"] = session
        os.write(self._to_chrome, json.dumps(request).encode() + b"\0")
        while True:
            message = self._read()
            if message.get("id") == self._next:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._read()
            self.events.append(message)
            if message.get("method") == method:
                return message

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass


def artefacts() -> Path:
    folder = Path(os.environ.get("SIM_SCREENSHOTS") or REPO / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def render(browser: DevTools, report: Path, shots: Path) -> tuple[list[list[float]], str]:
    """Open a report in a new tab, save its screenshots, return its figures' boxes and URL."""
    url = report.resolve().as_uri()
    target = browser.call("Target.createTarget", url="about:blank")["targetId"]
    session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable", session)
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        session,
        width=1280,
        height=900,
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
    browser.call("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired")
    boxes = browser.call(
        "Runtime.evaluate",
        session,
        expression=(
            "JSON.stringify([...document.querySelectorAll('figure > svg')].map(e => {"
            "const r = e.getBoundingClientRect(); return [r.width, r.height]; }))"
        ),
        returnByValue=True,
    )["result"]["value"]
    height = browser.call(
        "Runtime.evaluate",
        session,
        expression="document.documentElement.scrollHeight",
        returnByValue=True,
    )["result"]["value"]
    top = browser.call("Page.captureScreenshot", session, format="png")["data"]
    page = browser.call(
        "Page.captureScreenshot",
        session,
        format="png",
        captureBeyondViewport=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": min(int(height), 16_000), "scale": 0.5},
    )["data"]
    # let late events (console messages, requests) arrive before judging
    browser.call("Runtime.evaluate", session, expression="1", returnByValue=True)
    for name, data in (("top", top), ("page", page)):
        (shots / f"{report.stem}-{name}.png").write_bytes(base64.b64decode(data))
        assert (shots / f"{report.stem}-{name}.png").stat().st_size > 10_000
    return json.loads(boxes), url


def test_reports_render_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = chromium()
    if binary is None:
        pytest.skip("no Chromium binary on PATH (Debian: apt-get install chromium)")
    monkeypatch.chdir(REPO)
    runner = CliRunner()

    def sim(*args: str) -> None:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.stderr

    run, odds = tmp_path / "run", tmp_path / "odds"
    sim("run", str(WAR), "--out", str(run))
    sim("uncertainty", str(WAR), "--draws", "40", "--seed", "1", "--out", str(odds))
    sim(
        "sweep",
        str(WAR / "baseline.yaml"),
        "--grid",
        "levers.sanctions.value=0,0.5,1",
        "--grid",
        "levers.aid.value=0,1,2",
        "--out",
        str(tmp_path / "sweep"),
    )
    sim("run", str(WAR / "baseline.yaml"), "--out", str(tmp_path / "baseline"))
    sim("run", str(WAR / "sanctions_threat.yaml"), "--out", str(tmp_path / "sanctions"))
    reports = {
        "war": [str(run), str(odds)],
        "sweep": [str(tmp_path / "sweep")],
        "uncertainty": [str(odds)],
        "comparison": [str(tmp_path / "baseline"), str(tmp_path / "sanctions")],
    }
    for name, folders in reports.items():
        sim("report", *folders, "--out", str(tmp_path / f"{name}.html"))
    # the report of the run with its odds: under 1 MB, and it opens with the summary
    page = (tmp_path / "war.html").read_text(encoding="utf-8")
    assert len(page.encode()) < 1_000_000
    assert (
        page.index('id="in-brief"')
        < page.index('id="side-by-side"')
        < page.index('id="evidence"')
        < page.index('id="provenance"')
    )

    shots = artefacts()
    browser = DevTools(binary, tmp_path / "profile")
    try:
        seen = {name: render(browser, tmp_path / f"{name}.html", shots) for name in reports}
    finally:
        browser.close()

    sizes, _ = seen["war"]
    # per scenario: space and zone (where there is a zone); timeline and games for baseline
    outcomes = [json.loads(f.read_text()) for f in (run / "outcomes").glob("*.json")]
    assert len(outcomes) == 5
    delayed = sum(
        any(r.get("agreement_period") not in (0,) for r in o["bargaining"]["results"])
        for o in outcomes
        if o["scenario"] != "baseline"
    )
    expected = sum(1 + (o["space"]["acceptable"] > 0) for o in outcomes) + 2 + delayed
    assert len(sizes) == expected + 1  # and the summary's figure
    for name, (boxes, _) in seen.items():
        assert boxes, name
        assert all(width > 50 and height > 50 for width, height in boxes), (name, boxes)

    errors = [
        e
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (
            e.get("method") == "Runtime.consoleAPICalled"
            and e["params"].get("type") in ("error", "assert")
        )
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")
    ]
    assert errors == []
    urls = {url for _, url in seen.values()}
    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    # an image inline in an SVG (a heatmap) is a data: URL, not a request to anywhere
    assert requests and all(u in urls or u.startswith("data:") for u in requests), requests
