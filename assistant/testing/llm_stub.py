"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests, evals and the app's browser test.

    with LlmStub() as stub:                       # binds 127.0.0.1 on a free port, stopped on exit
        stub.enqueue("回答……[1]")                  # next /v1/chat/completions reply (streamed or not)
        stub.enqueue(Reply(status=429))            # an injected error (body in OpenAI's error shape)
        stub.enqueue(Reply("半句", finish_reason="length"))
        stub.enqueue(Reply("先说一半", broken=True))  # the stream is cut before [DONE]
        stub.responder = lambda request: "…"      # or compute the reply from the request
        settings.llm.base_url = stub.base_url      # http://127.0.0.1:PORT/v1

Every request is recorded in ``stub.requests`` (the parsed JSON body plus ``_path`` and
``_headers``). With an empty queue and no responder the reply is ``stub.default``.
Only the standard library: nothing here needs the network or a model.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before the response starts
    chunk_delay: float = 0.0  # seconds between streamed chunks
    finish_reason: str = "stop"
    broken: bool = False  # streaming: close the connection after half the chunks, no [DONE]
    error: str | None = None  # error message for status >= 400
    retry_after: float | None = None  # seconds, sent as retry-after-ms with 429/5xx


Responder = Callable[[dict[str, Any]], "str | Reply"]


def _chunks(text: str, size: int = 3) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class LlmStub:
    def __init__(self, model: str = "stub-model", default: str = "好的。"):
        self.model = model
        self.default = default
        self.queue: deque[str | Reply] = deque()
        self.responder: Responder | None = None
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------
    def enqueue(self, *replies: str | Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            item: str | Reply | None = self.queue.popleft() if self.queue else None
        if item is None:
            item = self.responder(body) if self.responder else self.default
        return item if isinstance(item, Reply) else Reply(item)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r.get("_path", "").endswith("/chat/completions")]

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "stub not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlmStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _json(self, status: int, obj: dict[str, Any], extra: dict[str, str] | None = None) -> None:
                data = json.dumps(obj, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    self.close_connection = True

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": stub.model, "object": "model", "owned_by": "stub"}]})
                else:
                    self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    body = {}
                body["_path"] = self.path
                body["_headers"] = {k.lower(): v for k, v in self.headers.items()}
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    with stub._lock:
                        stub.requests.append(body)
                    self._json(404, {"error": {"message": f"unknown path {self.path}", "type": "invalid_request_error"}})
                    return
                reply = stub._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status >= 400:
                    extra = {"retry-after-ms": str(int(reply.retry_after * 1000))} if reply.retry_after is not None else None
                    kind = {401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error"}
                    self._json(
                        reply.status,
                        {"error": {"message": reply.error or f"stub error {reply.status}", "type": kind.get(reply.status, "server_error"), "code": None}},
                        extra,
                    )
                    return
                if body.get("stream"):
                    self._stream(body, reply)
                else:
                    self._json(200, self._completion(body, reply))

            def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
                return {
                    "id": "chatcmpl-stub",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", stub.model),
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": reply.finish_reason}
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": max(1, len(reply.text)), "total_tokens": 10 + len(reply.text)},
                }

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                model = body.get("model", stub.model)

                def event(delta: dict[str, Any], finish: str | None = None) -> None:
                    chunk = {
                        "id": "chatcmpl-stub",
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": model,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()

                parts = _chunks(reply.text)
                if reply.broken:
                    parts = parts[: max(1, len(parts) // 2)]
                try:
                    event({"role": "assistant", "content": ""})
                    for p in parts:
                        if reply.chunk_delay:
                            time.sleep(reply.chunk_delay)
                        event({"content": p})
                    if reply.broken:
                        self.wfile.write(b"data: {\"id\": \"chatcmpl-stub\", \"choi")  # a torn event, then the socket closes
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    event({}, reply.finish_reason)
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass
                self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="llm-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LlmStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
