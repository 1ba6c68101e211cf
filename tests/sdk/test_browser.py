"""The AWS SDK for JavaScript v3 in a real browser: headless Chromium loads a page from one port
on 127.0.0.1 whose script (tests/sdk/js/browser.mjs, bundled for the browser with the pinned
esbuild) calls Dynoscale on another port. Every call is cross-origin, so the browser sends a CORS
preflight and lets the script see an answer only if the endpoint's CORS headers allow it; the
script reads request ids (exposed headers), errors and a 20 KB item (answered gzip-compressed,
since Chromium accepts gzip) and reports each check back to the page's own origin.

Chromium comes from the distribution (Debian's `chromium` package; .ci/run and `make test-deps`
install it), never downloaded by the test. Skipped, saying why, only when no Chromium, node or npm
exists or the npm registry cannot be reached (tests/sdk/npm.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.kit import post
from tests.sdk.npm import SOURCE, installed, node_major, npm_env

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
WAIT = 120  # seconds for the page to report its checks
CHECKS = ["list-tables", "request-id-exposed", "put-get", "large-item", "query",
          "conditional-check-failed", "error-request-id-exposed", "resource-not-found"]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Dynoscale from a browser</title>
<script>
window.DYNOSCALE = %s;
function report(detail) {
  fetch("/result", {method: "POST", body: JSON.stringify([{name: "page-error", ok: false,
                                                             detail: String(detail)}])});
}
window.addEventListener("error", e => report(e.message));
window.addEventListener("unhandledrejection", e => report(e.reason));
</script>
<script type="module" src="/bundle.js"></script>
</head><body></body></html>
"""


def browser() -> str | None:
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


def bundle(npm: str, out: Path) -> Path:
    """browser.mjs and the SDK it imports as one ES module for the browser (esbuild)."""
    target = installed(npm)
    entry = target / "browser.mjs"  # beside node_modules, where its imports resolve
    shutil.copyfile(SOURCE / "browser.mjs", entry)
    js = out / "bundle.js"
    proc = subprocess.run([str(target / "node_modules" / ".bin" / "esbuild"), str(entry),
                           "--bundle", "--format=esm", "--platform=browser", "--target=es2022",
                           f"--outfile={js}", "--log-level=warning"],
                          capture_output=True, text=True, timeout=120, env=npm_env(), cwd=target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return js


class Page:
    """The page's origin: serves the page and the bundle, and receives the checks."""

    def __init__(self, html: bytes, js: bytes):
        self.results: list | None = None
        self.done = threading.Event()
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body, ctype = {"/": (html, "text/html"),
                               "/bundle.js": (js, "text/javascript")}.get(self.path, (b"", ""))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", ctype or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(204)
                self.end_headers()
                if self.path == "/result" and page.results is None:
                    page.results = json.loads(data)
                    page.done.set()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def run_chromium(executable: str, url: str, profile: str, log: Path) -> subprocess.Popen:
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--metrics-recording-only", "--no-pings", f"--user-data-dir={profile}"]
    with open(log, "wb") as out:
        return subprocess.Popen([executable, *flags, url], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # its own group: stopped whole below


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_js_sdk_in_headless_chromium_cross_origin(make_server, tmp_path):
    executable = browser()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make "
                    "test-deps` and .ci/run install it)")
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to bundle the JavaScript SDK for the browser")
    if node_major(node) < 20:
        pytest.skip("the AWS SDK for JavaScript v3 needs Node.js 20 or later")
    js = bundle(npm, tmp_path)
    server = make_server("--clock", "manual", durable=False)
    table = "BrowserTable"
    server.client("dynamodb").create_table(
        TableName=table, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    server.advance(60)
    html = (PAGE % json.dumps({"endpoint": server.url, "table": table})).encode()
    page = Page(html, js.read_bytes())
    assert page.url.split(":")[2] != server.url.split(":")[2]  # another origin: another port
    log = tmp_path / "chromium.log"
    proc = run_chromium(executable, page.url, tempfile.mkdtemp(dir=tmp_path), log)
    try:
        reported = page.done.wait(WAIT)
    finally:
        stop(proc)
        page.close()
    assert reported, f"the page reported nothing in {WAIT}s; Chromium:\n{log.read_text()[-3000:]}"
    failed = [c for c in page.results if not c["ok"]]
    assert not failed, json.dumps(page.results, indent=1)
    assert [c["name"] for c in page.results] == CHECKS
    # The 20 KB answer was compressed for Chromium: it accepts gzip, which wins over the other
    # codings it lists, and DynamoDB compresses answers of 4 KB or more.
    status, headers, _ = post(server, json.dumps({"TableName": table, "Key": {"k": {"S": "big"}}})
                              .encode(), {"Content-Type": "application/x-amz-json-1.0",
                                          "X-Amz-Target": "DynamoDB_20120810.GetItem",
                                          "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/"
                                          "20261128/us-east-1/dynamodb/aws4_request, "
                                          "SignedHeaders=host, Signature=0",
                                          "Accept-Encoding": "gzip, deflate, br, zstd"})
    assert status == 200 and headers["content-encoding"] == "gzip"
