"""Real servers that tests start and stop themselves: a Redis broker and an SMTP sink (aiosmtpd).

Ports come from this checkout's block (8140-8149 by default, LP_TEST_PORTS="8140-8149" to change);
the first free one is taken, so two test runs at once do not collide.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message


def port_block() -> range:
    first, last = (int(part) for part in os.environ.get("LP_TEST_PORTS", "8140-8149").split("-"))
    return range(first, last + 1)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(*, exclude: tuple[int, ...] = ()) -> int:
    for port in port_block():
        if port not in exclude and _port_free(port):
            return port
    raise RuntimeError(f"no free port in {port_block()}")


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


@contextlib.contextmanager
def redis_server(port: int) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1:port (no persistence); yields its URL."""
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


class SmtpSink:
    """Collects every message a client hands over; ``hold`` makes it stall before accepting one."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.hold.set()  # set = let messages through

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import asyncio

        if not self.hold.is_set():
            self.holding.set()
            while not self.hold.is_set():
                await asyncio.sleep(0.05)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


@contextlib.contextmanager
def smtp_sink(port: int) -> Iterator[SmtpSink]:
    """An aiosmtpd server on 127.0.0.1:port for the duration of the block."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        sink.hold.set()
        controller.stop()


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Celery publishes to ``url`` for the block (eager mode off), then back to what it was."""
    from django.conf import settings

    from lernplattform.celery import app

    saved = (app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url)
    eager = (app.conf.task_always_eager, settings.CELERY_TASK_ALWAYS_EAGER)
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url, app.conf.broker_read_url = saved
        app.conf.task_always_eager, settings.CELERY_TASK_ALWAYS_EAGER = eager
        app._pool = None
        app.amqp._producer_pool = None
