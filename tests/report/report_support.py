"""Helpers shared by the HTML report tests: real results from the sample corpora (computed once
per test run), and a headless-Chromium runner that records console messages and any network
request. A plain module, not a conftest.py: tests/conftest.py is imported by name elsewhere."""

from __future__ import annotations

import functools
import json
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures" / "report"
ARTIFACTS = ROOT / "tests" / "_artifacts" / "report"

QUICK = {"n_resamples": 100, "embeddings": False, "seed": 0}


@functools.lru_cache(maxsize=1)
def sample_results() -> dict[str, dict | None]:
    """Real results of every report shape, computed from the embedded samples (a few seconds)."""
    import stylesim

    lyra, distill, atlas = (str(SAMPLES / f"{n}.jsonl") for n in ("lyra", "lyra-distill", "atlas"))
    panel = [str(SAMPLES / f"{n}.jsonl") for n in ("atlas", "brook", "sage", "sunny", "quill", "pixel")]
    return {
        "compare-panel": stylesim.compare(lyra, distill, panel=panel, n_permutations=100, **QUICK).to_dict(),
        "compare-nopanel": stylesim.compare(lyra, distill, n_permutations=100, **QUICK).to_dict(),
        "attribute-panel": stylesim.attribute(distill, [lyra, atlas], panel=panel[1:], n_permutations=100,
                                              **QUICK).to_dict(),
        "attribute-nopanel": stylesim.attribute(distill, [lyra, atlas], n_permutations=100, **QUICK).to_dict(),
        "matrix": _matrix_result([lyra, distill, *panel]),
        "reproduce-eqbench": _reproduce_result([lyra, distill, atlas]),
    }


def _matrix_result(paths: list[str]) -> dict | None:
    try:
        from stylesim.panel import similarity_matrix
    except ImportError:  # the matrix command is not part of this build
        return None
    return similarity_matrix(paths, n_resamples=30, n_permutations=100, embeddings=False, seed=0).to_dict()


def _reproduce_result(paths: list[str]) -> dict | None:
    try:
        from stylesim.reproduce import reproduce_eqbench_similarity
    except ImportError:  # the reproduce command is not part of this build
        return None
    return reproduce_eqbench_similarity(paths, n_resamples=20, calibrated_resamples=20, seed=0).to_dict()


def result_of(kind: str) -> dict:
    """The sample result of that kind (a test asking for the matrix skips when it is unavailable)."""
    data = sample_results()[kind]
    if data is None:
        pytest.skip(f"no {kind} result in this build")
    return data


def minimal_result(kind: str) -> dict:
    """A hand-written result holding only the always-present fields (no optional blocks)."""
    return json.loads((FIXTURES / f"minimal-{kind}.json").read_text(encoding="utf-8"))


# --- headless Chromium -------------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

# Requests the browser makes on its own (clock, updates, sign-in), whatever the page holds.
BROWSER_HOSTS = {
    "clients2.google.com", "update.googleapis.com", "accounts.google.com", "clientservices.googleapis.com",
    "optimizationguide-pa.googleapis.com", "content-autofill.googleapis.com", "redirector.gvt1.com",
    "edgedl.me.gvt1.com", "dl.google.com", "safebrowsingohttpgateway.googleapis.com", "www.google.com",
    "android.clients.google.com", "clients1.google.com",
}


def chromium_binary() -> str | None:
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


class _SinkProxy:
    """A local HTTP proxy that answers every request with 403 and records its first line."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(32)
        self.port = self._server.getsockname()[1]
        self._server.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    head = conn.recv(4096)
                    self.requests.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


def request_host(line: str) -> str:
    """``CONNECT host:443 HTTP/1.1`` or ``GET http://host/path HTTP/1.1`` -> ``host``."""
    parts = line.split()
    target = parts[1] if len(parts) > 1 else ""
    if "://" in target:
        target = target.split("://", 1)[1].split("/", 1)[0]
    return target.rsplit(":", 1)[0] if ":" in target else target


@dataclass
class BrowserRun:
    dom: str
    console: list[str]
    page_requests: list[str]
    all_requests: list[str] = field(default_factory=list)
    returncode: int = 0


def run_chromium(binary: str, page: Path, screenshot: Path, width: int, height: int, fragment: str = "") -> BrowserRun:
    """Open ``page`` from disk (with ``fragment``, e.g. "#id", after its address) with every network
    request sent to a dead-end proxy; return the DOM after scripts ran, the console messages and
    the requests that were not the browser's own."""
    proxy = _SinkProxy()
    try:
        with tempfile.TemporaryDirectory() as profile:
            proc = subprocess.run(
                [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
                 "--disable-client-side-phishing-detection", "--metrics-recording-only", "--hide-scrollbars",
                 f"--proxy-server=http://127.0.0.1:{proxy.port}", "--proxy-bypass-list=<-loopback>",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                 f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--dump-dom",
                 f"--screenshot={screenshot}", f"--window-size={width},{height}", page.resolve().as_uri() + fragment],
                capture_output=True, text=True, timeout=120,
            )
    finally:
        proxy.close()
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    page_requests = [r for r in proxy.requests if request_host(r) not in BROWSER_HOSTS]
    return BrowserRun(dom=proc.stdout, console=console, page_requests=page_requests,
                      all_requests=list(proxy.requests), returncode=proc.returncode)


def chromium_or_skip() -> str:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no chromium binary found (install Debian's 'chromium' package to run browser tests)")
    return binary


def artifacts_dir() -> Path:
    """Where screenshots go (tests/_artifacts/ is git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- layout measured in the browser --------------------------------------------------------------

_MEASURE = r"""
<script>
(function () {
  function box(e) { var r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  function meets(a, b) { return a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5; }
  // Folded sections are measured open: a reader may open any of them.
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var out = {page: [document.documentElement.scrollWidth, window.innerWidth], tables: [], overlaps: []};
  document.querySelectorAll("table").forEach(function (t) {
    var holder = t.parentElement;
    out.tables.push({id: t.id || (holder && holder.id) || "", width: Math.round(t.scrollWidth),
                     room: Math.round(holder ? holder.clientWidth : window.innerWidth)});
  });
  document.querySelectorAll("svg").forEach(function (svg, index) {
    if (!svg.getClientRects().length) return;
    var labels = Array.prototype.filter.call(svg.querySelectorAll("text"), function (t) {
      var r = t.getBoundingClientRect(); return r.width > 0 && r.height > 0 && t.textContent.trim();
    });
    for (var i = 0; i < labels.length; i++) for (var j = i + 1; j < labels.length; j++) {
      if (meets(box(labels[i]), box(labels[j]))) {
        out.overlaps.push([svg.id || svg.getAttribute("aria-label") || ("svg " + index),
                           labels[i].textContent.trim(), labels[j].textContent.trim()]);
      }
    }
  });
  out.broken_headers = [];
  document.querySelectorAll("thead th:not(.name)").forEach(function (th) {  // names may wrap anywhere
    var style = getComputedStyle(th);
    var room = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var probe = document.createElement("span");
    probe.style.cssText = "white-space: nowrap; position: absolute; visibility: hidden";
    th.appendChild(probe);
    // Pieces a line may legally end after: words, and a hyphenated word after each hyphen.
    (th.textContent || "").split(/\s+|(?<=-)/).filter(Boolean).forEach(function (word) {
      probe.textContent = word;
      if (probe.getBoundingClientRect().width > room + 0.5) {
        var table = th.closest("table");
        out.broken_headers.push([(table && table.id) || "", word]);
      }
    });
    th.removeChild(probe);
  });
  out.broken_cells = [];  // body cells whose ordinary words (up to 20 characters) do not fit
  // Three passes, so that the page is laid out three times, not once per word: read each cell's
  // room, add a probe per word (in its own element's font), then read every probe's width.
  var probes = [];
  document.querySelectorAll("tbody td").forEach(function (td) {
    var style = getComputedStyle(td);
    var room = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) {
      node.nodeValue.split(/\s+|(?<=-)/).filter(function (w) { return w && w.length <= 20; }).forEach(function (word) {
        probes.push({td: td, parent: node.parentElement, room: room, word: word});
      });
    }
  });
  probes.forEach(function (p) {
    p.span = document.createElement("span");
    p.span.style.cssText = "white-space: nowrap; position: absolute; visibility: hidden";
    p.span.textContent = p.word;
    p.parent.appendChild(p.span);
  });
  probes.forEach(function (p) {
    if (p.span.getBoundingClientRect().width > p.room + 0.5) {
      var table = p.td.closest("table");
      out.broken_cells.push([(table && table.id) || "", p.word]);
    }
  });
  probes.forEach(function (p) { p.parent.removeChild(p.span); });
  var pre = document.createElement("pre"); pre.id = "layout-measure"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def measure_layout(binary: str, html: str, folder: Path, width: int = 1280, height: int = 2000) -> dict:
    """Open ``html`` at ``width`` px and measure, after its own script ran: the page's scroll width,
    each table's width against the room its container gives it, and pairs of SVG text labels whose
    boxes intersect. The page's content security policy is dropped from this copy so the measuring
    script (not part of the report) may run."""
    page = folder / "measured.html"
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, count=1)
    page.write_text(html.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    run = run_chromium(binary, page, folder / "measured.png", width, height)
    found = re.search(r'<pre id="layout-measure">(.*?)</pre>', run.dom, re.S)
    assert found, "the measuring script did not run"
    import html as html_lib

    return json.loads(html_lib.unescape(found.group(1)))
