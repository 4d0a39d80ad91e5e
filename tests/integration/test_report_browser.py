"""The report of the shipped case as a person sees it: rendered by headless Chromium.

Chromium is driven over the DevTools protocol in pipe mode (``--remote-debugging-pipe``:
commands on file descriptor 3, replies and events on 4, each a JSON message ended by NUL), so
no extra package is needed. Checks: no console error or uncaught exception, every figure (an
inline ``<svg>``) has a non-empty bounding box, and the page makes no network request (only
the report's own ``file://`` URL is loaded). A screenshot is saved in the test's temporary
folder.
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


def test_case_report_renders_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = chromium()
    if binary is None:
        pytest.skip("no Chromium binary on PATH (Debian: apt-get install chromium)")
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    run = runner.invoke(app, ["run", "scenarios/ukraine/", "--out", str(tmp_path / "run")])
    assert run.exit_code == 0, run.stderr
    report = tmp_path / "report.html"
    made = runner.invoke(app, ["report", str(tmp_path / "run"), "--out", str(report)])
    assert made.exit_code == 0, made.stderr
    url = report.resolve().as_uri()

    browser = DevTools(binary, tmp_path / "profile")
    try:
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
        shot = browser.call("Page.captureScreenshot", session, format="png")["data"]
        # let late events (console messages, requests) arrive before judging
        browser.call("Runtime.evaluate", session, expression="1", returnByValue=True)
    finally:
        browser.close()

    (tmp_path / "report.png").write_bytes(base64.b64decode(shot))
    assert (tmp_path / "report.png").stat().st_size > 10_000

    sizes = json.loads(boxes)
    # per scenario: space, timeline, games, and the zone by issue where there is a zone
    outcomes = [json.loads(f.read_text()) for f in (tmp_path / "run" / "outcomes").glob("*.json")]
    assert len(outcomes) == 7
    assert len(sizes) == sum(3 + (o["space"]["acceptable"] > 0) for o in outcomes)
    assert all(width > 50 and height > 50 for width, height in sizes), sizes

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
    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requests and all(u == url for u in requests), requests
