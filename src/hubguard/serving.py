"""Serve an ASGI app with uvicorn in a background thread (the demo, out-of-process tests)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn

from hubguard.errors import ConfigError

__all__ = ["background_server", "free_port", "listening_socket"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (for a server whose URL must be known before it starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket with TCP_NODELAY, which accepted connections inherit: without it,
    keep-alive requests wait ~40 ms on delayed ACKs (headers and body go out as two writes)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:  # in use, no such address: the operator's to fix, said in a line
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


@contextmanager
def background_server(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    lifespan: Literal["on", "off", "auto"] = "on",
) -> Iterator[int]:
    """Run ``app`` on ``host:port`` (0 picks a free port) until the block ends; yields the port."""
    sock = listening_socket(host, port)
    bound = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan=lifespan, log_config=None)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    waiter = threading.Event()
    while not server.started and thread.is_alive():
        waiter.wait(0.01)
    if not server.started:
        sock.close()
        raise RuntimeError(f"the HTTP server on {host}:{bound} did not start")
    try:
        yield bound
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
