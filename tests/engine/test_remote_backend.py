"""The server backend's own rules, against small real HTTP servers on 127.0.0.1.

``transformers serve`` (tests/integration/test_remote_server.py) cannot show an API key
check, a ``data: [DONE]`` stream end, an HTTP error or a broken answer: ``ScriptedServer``
answers those, through real sockets, to the real client.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from remote_server import ScriptedServer, send_json, sse
from samples import SAMPLE_LINES, text_page

from ablage_desktop.engine.backends.openai_server import (
    SPEC,
    OpenAIServerBackend,
    OpenAIServerOptions,
)
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.errors import (
    Cancelled,
    ConfigError,
    ModelLoadError,
    RemoteHttpError,
    RemoteReplyError,
    RemoteTimeout,
    RemoteUnreachable,
)
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.remote.client import Endpoint
from ablage_desktop.engine.remote.images import data_url
from ablage_desktop.engine.remote.sse import MalformedStream, delta_text, events
from ablage_desktop.engine.run.cancel import CancelToken

MODEL = "org/ocr-model"
KEY_VARIABLE = "ABLAGE_TEST_SCRIPTED_KEY"
SECRET = "sk-scripted-0815-never-logged"


def page(width: int = 300, height: int = 120) -> PageImage:
    return PageImage(Path("scan.png"), 0, Image.new("RGB", (width, height), "white"), None)


def options(base_url: str, **settings: object) -> OpenAIServerOptions:
    values: dict[str, object] = {"engine": "openai_server", "base_url": base_url, "model": MODEL}
    values.update(settings)
    return OpenAIServerOptions.model_validate(values)


@pytest.fixture
def served() -> Iterator[list[ScriptedServer]]:
    started: list[ScriptedServer] = []
    yield started
    for server in started:
        server.stop()


def serve(
    started: list[ScriptedServer], reply, tls: ssl.SSLContext | None = None
) -> ScriptedServer:  # type: ignore[no-untyped-def]
    server = ScriptedServer(MODEL, reply, tls)
    started.append(server)
    return server


def posts(server: ScriptedServer) -> list[dict[str, str]]:
    return [headers for path, headers in server.requests if path == "/v1/chat/completions"]


# --- requests and answers --------------------------------------------------------------------


def test_the_key_goes_in_the_header_and_a_done_terminated_stream_is_the_text(
    served: list[ScriptedServer],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bodies: list[dict[str, object]] = []

    def reply(handler, body) -> None:  # type: ignore[no-untyped-def]
        bodies.append(body)
        if handler.headers.get("Authorization") != f"Bearer {SECRET}":
            send_json(handler, 401, {"error": {"message": "invalid API key"}})
        else:
            sse(handler, ["Rechnung ", "Nr. 42\n", "Betrag 17,50 €"], done=True)

    server = serve(served, reply)
    monkeypatch.setenv(KEY_VARIABLE, SECRET)
    caplog.set_level(logging.DEBUG)
    backend = OpenAIServerBackend("office", options(server.base_url, api_key_env=KEY_VARIABLE))
    try:
        result = backend.recognize(page())
    finally:
        backend.close()
    assert result.text == "Rechnung Nr. 42\nBetrag 17,50 €"
    assert result.backend == "office" and result.lines == ()
    (body,) = bodies
    assert body["model"] == MODEL and body["stream"] is True
    content = body["messages"][0]["content"]  # type: ignore[index]
    assert content[0]["type"] == "image_url"
    assert content[0]["image_url"]["url"].startswith("data:image/png;base64,")
    assert content[1] == {"type": "text", "text": backend.options.prompt}
    assert all(h.get("Authorization") == f"Bearer {SECRET}" for _, h in server.requests)
    assert SECRET not in caplog.text and SECRET not in repr(backend.client)


def test_a_rejected_key_is_an_http_error_that_is_not_retried(
    served: list[ScriptedServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve(
        served, lambda handler, body: send_json(handler, 401, {"error": {"message": "bad key"}})
    )
    monkeypatch.setenv(KEY_VARIABLE, "wrong-key-1234")
    backend = OpenAIServerBackend("office", options(server.base_url, api_key_env=KEY_VARIABLE))
    try:
        with pytest.raises(RemoteHttpError) as caught:
            backend.recognize(page())
    finally:
        backend.close()
    assert caught.value.status == 401 and not caught.value.transient
    assert "bad key" in caught.value.message and "wrong-key-1234" not in caught.value.message
    assert len(posts(server)) == 1


def test_server_errors_are_retried_with_backoff_then_the_server_counts_as_down(
    served: list[ScriptedServer],
) -> None:
    server = serve(served, lambda handler, body: send_json(handler, 503, {"detail": "busy"}))
    backend = OpenAIServerBackend("office", options(server.base_url, retries=2, backoff_s=0.01))
    try:
        with pytest.raises(RemoteHttpError) as caught:
            backend.recognize(page())
        assert caught.value.status == 503 and caught.value.server_down
        assert len(posts(server)) == 3
        with pytest.raises(RemoteUnreachable) as again:  # down: no new request
            backend.recognize(page())
        assert again.value.server_down and len(posts(server)) == 3
    finally:
        backend.close()


@pytest.mark.parametrize(
    "raw",
    [b"data: {not json\n\n", b'data: {"no_choices": 1}\n\n', b"garbage line\n\n"],
    ids=["not-json", "no-choices", "not-an-event"],
)
def test_a_malformed_stream_is_a_reply_error_and_not_retried(
    served: list[ScriptedServer], raw: bytes
) -> None:
    def reply(handler, body) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        handler.wfile.write(raw)

    server = serve(served, reply)
    backend = OpenAIServerBackend("office", options(server.base_url, backoff_s=0.01))
    try:
        with pytest.raises(RemoteReplyError):
            backend.recognize(page())
    finally:
        backend.close()
    assert len(posts(server)) == 1


def test_a_server_that_ignores_stream_true_still_answers(served: list[ScriptedServer]) -> None:
    completion = {
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "```\nA\nB\n```"}}]
    }
    server = serve(served, lambda handler, body: send_json(handler, 200, completion))
    backend = OpenAIServerBackend("office", options(server.base_url))
    try:
        assert backend.recognize(page()).text == "A\nB"  # the code fence is dropped
    finally:
        backend.close()


def test_a_server_without_the_model_does_not_load(served: list[ScriptedServer]) -> None:
    server = serve(served, lambda handler, body: None)
    with pytest.raises(ModelLoadError) as caught:
        OpenAIServerBackend("office", options(server.base_url, model="other/model"))
    assert "does not serve 'other/model'" in caught.value.message and MODEL in caught.value.message


def test_cancel_aborts_a_request_that_waits_for_the_server(served: list[ScriptedServer]) -> None:
    release = threading.Event()

    def reply(handler, body) -> None:  # type: ignore[no-untyped-def]
        release.wait(10)

    server = serve(served, reply)
    backend = OpenAIServerBackend("office", options(server.base_url, timeout_s=30))
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    try:
        with pytest.raises(Cancelled):
            backend.recognize(page(), cancel)
        assert backend.in_flight == 0
    finally:
        release.set()
        backend.close()


# --- TLS -------------------------------------------------------------------------------------


@pytest.fixture
def tls_server(served: list[ScriptedServer], tmp_path: Path) -> tuple[ScriptedServer, Path]:
    """A server with a self-signed certificate for 127.0.0.1 (made with openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = serve(served, lambda handler, body: sse(handler, ["sicher"], done=False), context)
    return server, cert


def test_tls_is_verified_and_an_office_ca_file_can_be_named(
    tls_server: tuple[ScriptedServer, Path],
) -> None:
    server, cert = tls_server
    url = server.base_url
    with pytest.raises(ModelLoadError) as caught:
        OpenAIServerBackend("office", options(url))
    assert "certificate" in caught.value.message
    backend = OpenAIServerBackend("office", options(url, ca_bundle=str(cert)))
    try:
        assert backend.recognize(page()).text == "sicher"  # a stream that just ends is complete
    finally:
        backend.close()


# --- configuration and availability ----------------------------------------------------------


def test_pages_leave_the_machine_only_when_the_model_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remote = options("https://gpu-server.example:8000/v1")
    assert not SPEC.availability(remote).ok
    assert "send_documents: true" in SPEC.availability(remote).reason
    assert SPEC.destination(remote) == "https://gpu-server.example:8000/v1"
    allowed = options("https://gpu-server.example:8000/v1", send_documents=True)
    assert SPEC.availability(allowed).ok
    local = options("http://localhost:1234/v1")
    assert SPEC.availability(local).ok and SPEC.destination(local) is None


def test_a_key_written_where_the_variable_name_belongs_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opts = options("http://127.0.0.1:9/v1", api_key_env="sk-live-abc.123")
    availability = SPEC.availability(opts)
    assert not availability.ok and "sk-live-abc.123" not in availability.reason
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    missing = SPEC.availability(options("http://127.0.0.1:9/v1", api_key_env=KEY_VARIABLE))
    assert not missing.ok and KEY_VARIABLE in missing.reason


def test_the_config_entry_is_validated_with_the_key_named(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "models:\n  office:\n    engine: openai_server\n    base_url: ftp://x/v1\n    model: m\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config([path])
    assert caught.value.key == "models.office.base_url" and "http://" in caught.value.problem
    path.write_text(
        "models:\n  office:\n    engine: openai_server\n    base_url: http://10.0.0.5:8000/v1\n"
        "    model: m\n    api_key: sk-123\n"
    )
    with pytest.raises(ConfigError) as unknown:
        load_config([path])
    assert "sk-123" not in unknown.value.message and "api_key_env" in unknown.value.message


def test_endpoint_parsing() -> None:
    endpoint = Endpoint.parse("http://gpu:8000/v1/")
    assert (endpoint.host, endpoint.port, endpoint.prefix) == ("gpu", 8000, "/v1")
    assert Endpoint.parse("https://[::1]/v1").loopback
    assert Endpoint.parse("https://ocr.example/v1").port == 443
    for bad in ("gpu:8000/v1", "http:///v1", "http://user:pw@gpu/v1", "http://gpu/v1?x=1"):
        with pytest.raises(ValueError):
            Endpoint.parse(bad)


def test_pages_are_scaled_to_max_side_and_encoded_as_asked() -> None:
    image = Image.new("1", (4000, 1000), 1)
    for kind in ("png", "jpeg"):
        url = data_url(image, kind, 1000)  # type: ignore[arg-type]
        head, encoded = url.split(",", 1)
        assert head == f"data:image/{kind};base64"
        sent = Image.open(io.BytesIO(base64.b64decode(encoded)))
        assert sent.size == (1000, 250) and sent.format == kind.upper()
    assert (
        OpenAIServerOptions.model_validate(
            {
                "engine": "openai_server",
                "base_url": "http://a/v1",
                "model": "m",
                "image_format": "jpeg",
            }
        ).image_format.type
        == "jpeg"
    )


def test_stream_parsing() -> None:
    lines = [
        b": keep-alive\n",
        b"event: message\n",
        b'data: {"choices": [{"delta": {"role": "assistant"}}]}\n',
        b"\n",
        b'data: {"choices": [{"delta": {"content": "Hallo"}}]}\n',
        b"data: [DONE]\n",
        b'data: {"choices": [{"delta": {"content": "after done"}}]}\n',
    ]
    assert "".join(delta_text(e) for e in events(lines)) == "Hallo"
    with pytest.raises(MalformedStream, match="error"):
        list(events([b'data: {"error": {"message": "overloaded"}}\n']))


# --- line boxes ------------------------------------------------------------------------------


def test_line_boxes_come_from_the_local_detector_where_the_lines_pair_up(
    served: list[ScriptedServer],
) -> None:
    answers = ["\n".join(SAMPLE_LINES), "\n".join([*SAMPLE_LINES, "a line the page lacks"])]
    server = serve(served, lambda handler, body: sse(handler, [answers.pop(0)], done=True))
    backend = OpenAIServerBackend("office", options(server.base_url, line_boxes="detect"))
    scan = PageImage(Path("scan.png"), 0, text_page(), None)
    try:
        paired = backend.recognize(scan)
        unpaired = backend.recognize(scan)
    finally:
        backend.close()
    assert [line.text for line in paired.lines] == list(SAMPLE_LINES)
    first, second = (line.box for line in paired.lines)
    assert first[3] <= second[1]  # in reading order, one above the other
    assert 20 <= first[0] <= 60 and 20 <= first[1] <= 60  # where text_page prints it
    assert unpaired.lines == () and unpaired.text.endswith("a line the page lacks")


def test_a_timed_out_answer_is_neither_a_short_page_nor_tried_again(
    served: list[ScriptedServer],
) -> None:
    """A server that sends part of an answer and stalls: a timeout (never the part as a
    complete page), and the page, having used its whole budget, is not tried again."""
    release = threading.Event()

    def reply(handler, body) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        event = {"choices": [{"index": 0, "delta": {"content": "halb"}}]}
        handler.wfile.write(b"data: " + json.dumps(event).encode() + b"\n\n")
        handler.wfile.flush()
        handler.close_connection = True
        release.wait(10)

    server = serve(served, reply)
    backend = OpenAIServerBackend(
        "office", options(server.base_url, timeout_s=0.5, retries=2, backoff_s=0.01)
    )
    try:
        with pytest.raises(RemoteTimeout) as caught:
            backend.recognize(page())
        assert caught.value.server_down
        assert len(posts(server)) == 1  # the whole budget used: not tried again
    finally:
        release.set()
        backend.close()


def test_a_server_that_echoes_the_key_does_not_get_it_into_the_error(
    served: list[ScriptedServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    def reply(handler, body) -> None:  # type: ignore[no-untyped-def]
        echoed = f"proxy failed for {handler.headers['Authorization']}"
        send_json(handler, 500, {"error": {"message": echoed}})

    server = serve(served, reply)
    monkeypatch.setenv(KEY_VARIABLE, SECRET)
    backend = OpenAIServerBackend(
        "office", options(server.base_url, api_key_env=KEY_VARIABLE, retries=0)
    )
    try:
        with pytest.raises(RemoteHttpError) as caught:
            backend.recognize(page())
    finally:
        backend.close()
    assert "proxy failed for Bearer ***" in caught.value.message
    assert SECRET not in caught.value.message
