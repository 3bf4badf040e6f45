"""A loopback HTTP server that misbehaves on purpose: silent, trickling, or answering scripted raw bytes.

Every request it reads is recorded with the monotonic time it arrived, so a test can assert that nothing
was sent after a signal. Threads per connection; ``stop()`` ends them all.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# conn, first request line → what to do with the connection (answer, stay silent, trickle…)
Handler = Callable[[socket.socket, str, threading.Event], None]


@dataclass
class Rogue:
    url: str
    stopped: threading.Event
    arrivals: list[tuple[float, str]] = field(default_factory=list)

    def requests_after(self, moment: float) -> list[str]:
        return [line for when, line in list(self.arrivals) if when > moment]


def silent(conn: socket.socket, line: str, stopped: threading.Event) -> None:
    """Accept the request, never answer."""
    stopped.wait()


def trickle(body: bytes = b'{"access_token": "t", "expires_in": 3600}', pause: float = 0.3) -> Handler:
    """Answer 200 one byte every ``pause`` seconds."""

    def handler(conn: socket.socket, line: str, stopped: threading.Event) -> None:
        answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        answer += b"Content-Length: %d\r\n\r\n" % len(body) + body
        for byte in answer:
            if stopped.wait(pause):
                return
            conn.sendall(bytes([byte]))

    return handler


def _read_head(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        (int(h.split(b":", 1)[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), 0
    )
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head


def _serve_connection(conn: socket.socket, rogue: Rogue, handler: Handler) -> None:
    with conn:
        try:
            while not rogue.stopped.is_set():
                head = _read_head(conn)
                if head is None:
                    return
                line = head.split(b"\r\n", 1)[0].decode("latin-1")
                rogue.arrivals.append((time.monotonic(), line))
                handler(conn, line, rogue.stopped)
        except OSError:
            return


@contextmanager
def rogue_server(handler: Handler) -> Iterator[Rogue]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    rogue = Rogue(url=f"http://127.0.0.1:{listener.getsockname()[1]}", stopped=threading.Event())

    def accept() -> None:
        while not rogue.stopped.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(target=_serve_connection, args=(conn, rogue, handler), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield rogue
    finally:
        rogue.stopped.set()
        acceptor.join(timeout=5)
        listener.close()


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port
