"""A real HTTP server on loopback that serves feed snapshots: the demo crawls it, and so do the crawler tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit


class _Server(ThreadingHTTPServer):
    # The stdlib listens with a backlog of 5: a batch of 50 crawlers connecting at once overflows it, and dropped SYNs
    # are retried after 1, 3, 7, 15 s, which made a same-day rerun of the demo take half a minute.
    request_queue_size = 256
    daemon_threads = True


@dataclass(frozen=True)
class Route:
    """One response the server gives for a path. With an ETag header, a matching If-None-Match is answered 304, as a
    real feed server does."""

    body: bytes
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering, as a slow host does.
    delay: float = 0.0


class FeedServer:
    """Serves ``routes`` (path without query -> response) on 127.0.0.1 at a free port, from a daemon thread.

    Routes may be replaced while it runs (tests change a feed between two crawls); unknown paths answer 404.
    """

    def __init__(self, routes: Mapping[str, Route], host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Route] = dict(routes)
        self.requests: list[str] = []
        # Requests being answered now, and the most at once so far: what a polite crawler keeps low.
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    self._answer()
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self) -> None:
                path = urlsplit(self.path).path
                with server._lock:
                    server.requests.append(self.path)
                    route = server.routes.get(path)
                if route is not None and route.delay:
                    time.sleep(route.delay)
                if route is None:
                    self._send(404, b"not found", "text/plain")
                    return
                headers = route.headers
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag and route.status == 200:
                    self._send(304, b"", route.content_type, headers)
                else:
                    self._send(route.status, route.body, route.content_type, headers)

            def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = _Server((host, port), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="feed-server", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def set_route(self, path: str, route: Route) -> None:
        with self._lock:
            self.routes[path] = route

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
