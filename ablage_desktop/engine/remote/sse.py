"""Reading a streamed chat completion (server-sent events) into the page text.

Servers differ at the end of a stream: vLLM and OpenAI send ``data: [DONE]``; ``transformers
serve`` just closes it. Both are complete answers. A stream cut off mid-way is not: the HTTP
layer reports that (a chunked body without its last chunk), not this parser.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

DONE = "[DONE]"


class MalformedStream(ValueError):
    """A line of the stream that is not an event this app can read."""


def events(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The JSON payload of each ``data:`` event, until ``[DONE]`` or the end of the stream.

    Comments (``:``), ``event:``/``id:``/``retry:`` fields and blank lines are skipped.
    """
    for raw in lines:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line or line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field != "data":
            if field in ("event", "id", "retry"):
                continue
            raise MalformedStream(f"not a server-sent event: {line[:80]!r}")
        value = value.removeprefix(" ")
        if value.strip() == DONE:
            return
        try:
            payload = json.loads(value)
        except ValueError as exc:
            raise MalformedStream(f"an event that is not JSON: {value[:80]!r}") from exc
        if not isinstance(payload, dict):
            raise MalformedStream(f"an event that is not a JSON object: {value[:80]!r}")
        if "error" in payload:
            raise MalformedStream(f"the server reported an error: {_error_text(payload)}")
        yield payload


def delta_text(payload: dict[str, Any]) -> str:
    """The new text in one chunk (empty for role-only and final chunks)."""
    choices = payload.get("choices")
    if not isinstance(choices, list):
        raise MalformedStream("a chunk without 'choices'")
    text = []
    for choice in choices:
        if not isinstance(choice, dict):
            raise MalformedStream("a choice that is not an object")
        delta = choice.get("delta") or {}
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str):
            text.append(content)
        elif content is not None:
            raise MalformedStream(f"content that is not text: {type(content).__name__}")
    return "".join(text)


def completion_text(payload: Any) -> str:
    """The text of a non-streamed completion (servers that ignore ``stream: true``)."""
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        if isinstance(payload, dict) and "error" in payload:
            raise MalformedStream(f"the server reported an error: {_error_text(payload)}") from exc
        raise MalformedStream("a completion without choices[0].message.content") from exc
    if content is None:
        return ""
    if not isinstance(content, str):
        raise MalformedStream(f"content that is not text: {type(content).__name__}")
    return content


def _error_text(payload: dict[str, Any]) -> str:
    error = payload.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    return str(error)[:300]
