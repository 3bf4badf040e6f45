"""Serve an EmulatorApp over real HTTP on a thread per request, in a daemon thread."""

from __future__ import annotations

import socketserver
import threading
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 512  # 200 clients may connect at once; the default backlog of 5 would refuse some


class _QuietHandler(WSGIRequestHandler):
    """The app logs each request itself; wsgiref's own access log would repeat it."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class EmulatorServer:
    """A running emulator on ``url``; ``stop()`` (or leaving the ``with`` block) shuts it down."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._server = make_server(
            host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        bound_host, bound_port = self._server.server_address[:2]
        self.url = f"http://{_url_host(str(bound_host))}:{bound_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="gitsync-emulator", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Block until the server stops (the CLI's main thread waits here)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def serve(app: Any, host: str = "127.0.0.1", port: int = 0) -> EmulatorServer:
    """Start serving ``app`` on host:port (0 = a free port) and return the running server."""
    return EmulatorServer(app, host, port)
