"""A local Socket Mode server: hands envelopes to the connected app and records its acks.

Slack's Socket Mode client asks apps.connections.open for a WebSocket URL, connects, and acks
every envelope by its id; this server plays Slack's side on 127.0.0.1 (port 0).
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from websockets.asyncio.server import ServerConnection, serve


class FakeSocketModeServer:
    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self._outbox: asyncio.Queue[str] | None = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.url = ""

    def __enter__(self) -> FakeSocketModeServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)
        self._loop.close()

    def send(self, envelope: dict[str, Any]) -> None:
        assert self._outbox is not None
        self._loop.call_soon_threadsafe(self._outbox.put_nowait, json.dumps(envelope))

    def _run(self) -> None:
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._outbox = asyncio.Queue()
        self._stop = self._loop.create_future()
        async with serve(self._handle, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            self.url = f"ws://127.0.0.1:{port}/link"
            self._ready.set()
            await self._stop

    async def _handle(self, connection: ServerConnection) -> None:
        await connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        assert self._outbox is not None

        async def pump() -> None:
            while True:
                await connection.send(await self._outbox.get())  # type: ignore[union-attr]

        sender = asyncio.create_task(pump())
        try:
            async for message in connection:
                self.acks.append(json.loads(message))
        finally:
            sender.cancel()
