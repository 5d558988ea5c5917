"""HTTP to one OpenAI-compatible server: a health check and streamed chat completions.

Standard library only (``http.client``, ``ssl``): nothing to install, and a request can be
aborted from another thread by shutting its socket down, which is how cancel and the overall
timeout reach a request that waits for the server. TLS is always verified (the system's CA
store, or the office's own CA file); there is no switch to turn that off.

Every failure becomes a typed ``RemoteServerError``; the API key is sent in the
``Authorization`` header and appears in no message and no log line.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ablage_desktop.engine.errors import (
    Cancelled,
    RemoteHttpError,
    RemoteReplyError,
    RemoteServerError,
    RemoteTimeout,
    RemoteTlsError,
    RemoteUnreachable,
)
from ablage_desktop.engine.remote.sse import MalformedStream, completion_text, delta_text, events
from ablage_desktop.engine.run.cancel import CancelToken

log = logging.getLogger(__name__)

WATCH_INTERVAL_S = 0.05
"""How often the watchdog looks at cancel tokens and deadlines."""
CONNECT_TIMEOUT_S = 10.0
ERROR_BODY_CHARS = 300
USER_AGENT = "ablage-desktop"


def is_loopback(host: str) -> bool:
    """True for this machine's own addresses: pages sent there never leave it."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A server's ``base_url``, taken apart (``http://gpu-server:8000/v1``)."""

    scheme: str
    host: str
    port: int
    prefix: str

    @classmethod
    def parse(cls, base_url: str) -> Endpoint:
        """Raises ``ValueError`` naming what is wrong with ``base_url``."""
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        if not parts.hostname:
            raise ValueError(f"base_url has no host: {base_url!r}")
        if parts.username or parts.password:
            raise ValueError("base_url must not contain a user or password; use api_key_env")
        if parts.query or parts.fragment:
            raise ValueError(f"base_url must not have a query or fragment: {base_url!r}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise ValueError(f"base_url has a bad port: {base_url!r}") from exc
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.prefix}"

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


@dataclass(frozen=True, slots=True)
class Health:
    seconds: float
    """Round trip of the check: the server's latency as this desktop sees it."""
    models: tuple[str, ...] | None
    """What ``/models`` lists; None where the server only answered ``/health``."""


class Call:
    """One request in flight: what the watchdog may abort."""

    def __init__(self, cancel: CancelToken, deadline: float) -> None:
        self.cancel = cancel
        self.deadline = deadline
        self.reason: str | None = None
        """Why it was aborted: 'cancelled' or 'timeout'; None while it runs normally."""
        self.received = 0
        """Characters of text streamed so far (progress)."""
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()

    def attach(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._conn = conn

    def abort(self, reason: str) -> None:
        """Shut the socket down: a read blocked in another thread returns at once."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            sock = self._conn.sock if self._conn is not None else None
        if sock is not None:
            # socket.socket's own shutdown, also for an SSLSocket (whose override would tear
            # down the TLS object under the reading thread); OSError: already closed.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Watchdog:
    """One thread per backend that aborts requests whose page was cancelled or ran out of time."""

    def __init__(self, name: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._name = name
        self._clock = clock
        self._calls: set[Call] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"ablage-remote-{self._name}")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            calls = list(self._calls)
        for call in calls:
            call.abort("cancelled")
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def in_flight(self) -> int:
        with self._lock:
            return len(self._calls)

    @contextmanager
    def watch(self, call: Call) -> Iterator[Call]:
        with self._lock:
            self._calls.add(call)
        try:
            yield call
        finally:
            with self._lock:
                self._calls.discard(call)

    def _run(self) -> None:
        while not self._stop.wait(WATCH_INTERVAL_S):
            now = self._clock()
            with self._lock:
                calls = list(self._calls)
            for call in calls:
                if call.cancel.cancelled:
                    call.abort("cancelled")
                elif now >= call.deadline:
                    call.abort("timeout")


class ServerClient:
    """Requests to one server for the configured model ``name`` (named in every error)."""

    def __init__(
        self,
        name: str,
        endpoint: Endpoint,
        api_key: str | None,
        timeout_s: float,
        ca_bundle: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.endpoint = endpoint
        self._api_key = api_key
        self.timeout_s = timeout_s
        self._clock = clock
        self._tls = (
            ssl.create_default_context(cafile=ca_bundle) if endpoint.scheme == "https" else None
        )
        self.watchdog = Watchdog(name, clock)

    def __repr__(self) -> str:  # never the key
        return f"ServerClient({self.name!r}, {self.endpoint.url!r})"

    # --- the two requests --------------------------------------------------------------------

    def health(self, timeout_s: float) -> Health:
        """``GET {base_url}/models``, or ``GET /health`` where that is missing; one try."""
        started = self._clock()
        status, body = self._get(f"{self.endpoint.prefix}/models", timeout_s)
        if status == 404:
            status, body = self._get("/health", timeout_s)
            if status >= 400:
                raise self._http_error(status, body, "health check")
            return Health(self._clock() - started, None)
        if status >= 400:
            raise self._http_error(status, body, "listing the models")
        try:
            listing = json.loads(body)
            models = tuple(str(entry["id"]) for entry in listing.get("data") or [])
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise self._reply_error("the model list is not the OpenAI JSON") from exc
        return Health(self._clock() - started, models)

    def complete(self, payload: dict[str, Any], cancel: CancelToken) -> str:
        """One streamed chat completion (one try): the assistant's text."""
        call = Call(cancel, self._clock() + self.timeout_s)
        with self.watchdog.watch(call):
            try:
                text = self._stream(payload, call)
            except Exception:
                if call.reason is None:
                    raise
            else:
                # A server without chunks or a length ends its stream by closing: a socket the
                # watchdog shut down then reads as a short, complete answer. It is not.
                if call.reason is None:
                    return text
            aborted = call.reason
            # Aborted by the watchdog: whatever the socket raised, the reason is ours.
            if aborted == "cancelled":
                raise Cancelled()
            raise RemoteTimeout(
                self.name, self.endpoint.url, f"no complete answer within {self.timeout_s:g} s"
            ) from None

    # --- HTTP --------------------------------------------------------------------------------

    def _connection(self, timeout_s: float) -> http.client.HTTPConnection:
        endpoint = self.endpoint
        if self._tls is not None:
            return http.client.HTTPSConnection(
                endpoint.host, endpoint.port, timeout=timeout_s, context=self._tls
            )
        return http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=timeout_s)

    def _headers(self, body: bool) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/event-stream"}
        if body:
            headers["Content-Type"] = "application/json"
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def _get(self, path: str, timeout_s: float) -> tuple[int, bytes]:
        conn = self._connection(timeout_s)
        try:
            with self._translated("health check"):
                conn.request("GET", path, headers=self._headers(body=False))
                response = conn.getresponse()
                return response.status, response.read()
        finally:
            conn.close()

    def _stream(self, payload: dict[str, Any], call: Call) -> str:
        body = json.dumps(payload).encode("utf-8")
        conn = self._connection(min(self.timeout_s, CONNECT_TIMEOUT_S))
        call.attach(conn)
        try:
            with self._translated("chat completion"):
                conn.connect()
                if conn.sock is not None:
                    conn.sock.settimeout(self.timeout_s)
                if call.reason is not None:
                    raise Cancelled()
                conn.request(
                    "POST",
                    f"{self.endpoint.prefix}/chat/completions",
                    body=body,
                    headers=self._headers(body=True),
                )
                response = conn.getresponse()
                if response.status >= 400:
                    raise self._http_error(response.status, response.read(), "chat completion")
                kind = response.getheader("Content-Type", "")
                if "text/event-stream" in kind:
                    return self._read_events(response, call)
                try:
                    return completion_text(json.loads(response.read()))
                except ValueError as exc:
                    problem = f"the answer is neither a stream nor JSON ({kind})"
                    raise self._reply_error(problem) from exc
        finally:
            conn.close()

    def _read_events(self, response: http.client.HTTPResponse, call: Call) -> str:
        parts: list[str] = []
        for event in events(iter(response.readline, b"")):
            text = delta_text(event)
            if text:
                parts.append(text)
                call.received += len(text)
        return "".join(parts)

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        """Socket, TLS, HTTP and parse failures as typed errors (``Cancelled`` passes)."""
        url = self.endpoint.url
        try:
            yield
        except (RemoteServerError, Cancelled):
            raise
        except MalformedStream as exc:
            raise self._reply_error(str(exc)) from exc
        except ssl.SSLCertVerificationError as exc:
            raise RemoteTlsError(
                self.name, url, f"the TLS certificate did not verify: {exc.verify_message}"
            ) from exc
        except ssl.SSLError as exc:
            raise RemoteTlsError(self.name, url, f"TLS failed: {exc.reason or exc}") from exc
        except TimeoutError as exc:
            raise RemoteTimeout(self.name, url, f"no answer within {self.timeout_s:g} s") from exc
        except ConnectionRefusedError as exc:
            raise RemoteUnreachable(self.name, url, "connection refused") from exc
        except (http.client.IncompleteRead, http.client.RemoteDisconnected) as exc:
            raise RemoteUnreachable(
                self.name, url, f"the connection closed before the {what} was complete"
            ) from exc
        except socket.gaierror as exc:
            raise RemoteUnreachable(self.name, url, f"unknown host: {exc.strerror}") from exc
        except (ConnectionError, OSError) as exc:
            raise RemoteUnreachable(
                self.name, url, f"{type(exc).__name__}: {exc.strerror or exc}"
            ) from exc
        except http.client.HTTPException as exc:
            raise self._reply_error(f"not a valid HTTP answer ({type(exc).__name__})") from exc

    def _http_error(self, status: int, body: bytes, what: str) -> RemoteHttpError:
        detail = body.decode("utf-8", errors="replace").strip()
        try:
            parsed = json.loads(detail)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            error = parsed.get("error") or parsed.get("detail") or parsed
            if isinstance(error, dict):
                error = error.get("message") or error
            detail = str(error)
        detail = " ".join(detail.split())[:ERROR_BODY_CHARS] or http.client.responses.get(
            status, ""
        )
        if status == 404 and not self.endpoint.prefix:
            detail += " (base_url usually ends with the API version, e.g. /v1)"
        return RemoteHttpError(
            self.name, self.endpoint.url, status, f"{what}: {self._without_key(detail)}"
        )

    def _reply_error(self, problem: str) -> RemoteReplyError:
        return RemoteReplyError(self.name, self.endpoint.url, self._without_key(problem))

    def _without_key(self, text: str) -> str:
        """A server's own words, which end up in logs, without the API key (a proxy may echo
        the request's headers back)."""
        return text.replace(self._api_key, "***") if self._api_key else text
