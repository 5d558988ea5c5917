"""Servers for the remote-backend tests, all on 127.0.0.1 and stopped by their fixtures.

* ``TransformersServer``: the real thing, ``transformers serve`` pinned to a tiny model folder
  (a subprocess: it can be killed, paused with SIGSTOP to play a server that stopped
  answering, and resumed).
* ``ScriptedServer``: a few lines of ``http.server`` for what ``transformers serve`` cannot
  show: an API key check (it has none), a ``data: [DONE]`` stream end (it just closes), and
  broken or failing answers.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ablage_desktop.engine.backends.surya_serving import transformers_serve_command

START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TransformersServer:
    """``transformers serve FOLDER`` on a free port of 127.0.0.1, offline, on the CPU."""

    def __init__(self, folder: Path, log: Path, folder_code: bool = False) -> None:
        self.folder = folder
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.model = str(folder)
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        command = transformers_serve_command(folder, self.port, "cpu", "float32", folder_code)
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, env=env
        )
        self.log_path = log

    def wait_healthy(self, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"transformers serve exited: {self.log_path.read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"transformers serve did not start: {self.log_path.read_text()[-2000:]}")

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted (by the kernel), nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


Reply = Callable[[http.server.BaseHTTPRequestHandler, dict[str, object]], None]


def sse(handler: http.server.BaseHTTPRequestHandler, chunks: list[str], done: bool) -> None:
    """A streamed answer, chunked, ending with ``data: [DONE]`` when ``done``."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    events = [
        "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}) + "\n\n"
        for text in chunks
    ]
    if done:
        events.append("data: [DONE]\n\n")
    for event in events:
        data = event.encode("utf-8")
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    handler.wfile.write(b"0\r\n\r\n")


def send_json(handler: http.server.BaseHTTPRequestHandler, status: int, body: object) -> None:
    data = json.dumps(body).encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class ScriptedServer:
    """An OpenAI-style server whose chat answer is ``reply``; it records what it was sent."""

    def __init__(self, model: str, reply: Reply, tls: ssl.SSLContext | None = None) -> None:
        self.model = model
        self.reply = reply
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                if self.path == "/v1/models":
                    send_json(self, 200, {"object": "list", "data": [{"id": server.model}]})
                else:
                    send_json(self, 404, {"detail": "Not Found"})

            def do_POST(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                server.reply(self, body)

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
