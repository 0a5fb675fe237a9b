"""A rendered report in headless Chromium, offline: the figures are drawn, nothing is fetched and
nothing goes wrong in the console; ``--pdf`` prints it. A screenshot of the page is kept beside
it, in the test's temporary folder (pytest keeps the last runs' folders for people to look at).

Chromium is Debian's package: the test installs it with apt-get when it is missing and it runs as
root, and skips, saying why, only where it cannot be had. The page is driven through the DevTools
protocol (``websocket-client``, which Jupyter already depends on) on a loopback port.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.config import Paths
from helpers.report import CHROMIUM_FLAGS, CHROMIUM_NAMES, run_report

websocket = pytest.importorskip("websocket", reason="websocket-client is not installed")

MONTH = "2023-07"
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
DECODE_IMAGES = """Promise.all(Array.from(document.images).map(img => img.decode().then(
    () => ({w: img.naturalWidth, h: img.naturalHeight}), e => ({w: 0, h: 0, error: String(e)}))))"""


def _chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _apt_install() -> str:
    """apt-get install chromium, with apt-get update first if the first try fails; the last line said."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    for cmd in (install, ["apt-get", "update", "-q"], install):
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1200)
        if run.returncode == 0 and cmd is install:
            break
    lines = (run.stdout + run.stderr).strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _chromium()
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed, and this test can install it only as root with apt-get")
    last = _apt_install()
    return _chromium() or pytest.skip(f"Chromium could not be installed with apt-get: {last}")


@pytest.fixture(scope="module")
def page(built, chromium, tmp_path_factory) -> Path:
    """The month rendered with --pdf in a scratch copy; the path of its index.html."""
    paths = Paths.at(tmp_path_factory.mktemp("browser"))
    shutil.copytree(built.data, paths.data)
    out, err = io.StringIO(), io.StringIO()
    assert run_report(paths, month=MONTH, pdf=True, stdout=out, stderr=err) == 0, err.getvalue()
    assert out.getvalue() == f"tally report: wrote reports/{MONTH}/index.html and report.pdf\n"
    return paths.reports / MONTH / "index.html"


class DevTools:
    """Headless Chromium, offline, driven over the DevTools protocol; every event is kept."""

    def __init__(self, chromium: str, profile: Path):
        self.process = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = self._port(profile / "DevToolsActivePort")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            target = next(t for t in json.load(answer) if t["type"] == "page")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.events: list[dict] = []
        self._id = 0
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable")
        self.send("Network.emulateNetworkConditions", **OFFLINE)

    def _port(self, active: Path, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if active.exists() and active.read_text().strip():
                return int(active.read_text().split()[0])
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("Chromium did not open its DevTools port")

    def send(self, method: str, **params) -> dict:
        """Call a DevTools method and return its result; events that arrive meanwhile are kept."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def open(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        return base64.b64decode(shot["data"])

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(params["entry"].get("text", ""))
        return out

    def close(self) -> None:
        self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def devtools(chromium, tmp_path):
    browser = DevTools(chromium, tmp_path / "profile")
    yield browser
    browser.close()


def keep_screenshot(png: bytes, page: Path) -> Path:
    """Save the screenshot beside the page (in the test's temporary folder, never in the checkout)."""
    target = page.parent / "screenshot.png"
    target.write_bytes(png)
    return target


def test_the_report_opens_offline_with_its_figures_drawn(page, devtools):
    devtools.open(page.as_uri())
    images = devtools.evaluate(DECODE_IMAGES)
    assert len(images) == 6
    assert all(i["w"] > 400 and i["h"] > 200 for i in images), images
    assert devtools.evaluate("document.title") == "D-ISIS figures, July 2023"
    assert "July 2023" in devtools.evaluate("document.querySelector('h1').textContent")
    assert devtools.errors() == []
    outside = [u for u in devtools.requests() if not u.startswith(("file://", "data:"))]
    assert outside == []
    png = devtools.screenshot()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000
    assert keep_screenshot(png, page).is_file()


def test_the_check_would_see_a_request_and_a_broken_image(devtools, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><title>t</title><img src="http://unreachable.invalid/x.png">'
                   '<img src="data:image/png;base64,AAAA"><img src="data:image/svg+xml;base64,PHN2Zz4=">')
    devtools.open(bad.as_uri())
    images = devtools.evaluate(DECODE_IMAGES)
    assert [i["w"] for i in images] == [0, 0, 0]
    assert "http://unreachable.invalid/x.png" in devtools.requests()
    assert devtools.errors() != []


def test_pdf_is_printed(page):
    pdf = page.parent / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size > 100_000  # the figures are in it
