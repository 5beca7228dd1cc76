"""The observers' web server: one small page and three JSON calls, on one chosen address.

It runs on a thread of its own with its own asyncio loop, only while a room is open: `start()`
binds to the address the facilitator chose (never to every interface), `stop()` closes it.

Why a request from another site cannot rate or join: every POST must be JSON (a cross-site
form cannot send that without a preflight, and no preflight is ever allowed), must come from
this page's own origin when the browser says where it comes from, and must carry the observer's
token in a header that only this page's script knows (no cookies). The Host header must name
the bound address, so a hostile name resolved to it (DNS rebinding) is refused too.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from app.errors import UserError
from app.room.observers import ObserverRoom, RoomRefusal
from app.room.page import observer_page

MAX_BODY_BYTES = 2048
MAX_WAIT_SECONDS = 20.0
NEWS_GATHER_SECONDS = 0.1  # how long a page's request for news is held open when nothing changes
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RoomServerError(UserError):
    """The server could not start, said in one line."""


def checked_host(host: str) -> str:
    """An address of one interface of this machine; a wildcard that would listen on every
    interface is refused."""
    text = host.strip()
    if text == "localhost":
        text = "127.0.0.1"
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        raise RoomServerError(f"{host!r} is not an IP address of this computer") from None
    if address.is_unspecified:
        raise RoomServerError(
            f"{host} would listen on every network: choose the address of one interface"
        )
    if address.is_multicast:
        raise RoomServerError(f"{host} is a multicast address")
    return str(address)


class RoomServer:
    """Serves one room's observers until `stop()`."""

    def __init__(self, room: ObserverRoom, host: str, port: int = 0) -> None:
        self.room = room
        self.host = checked_host(host)
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        # Resolved (and replaced) whenever the room changes, to answer the pages waiting for it.
        self._news: asyncio.Future[None] | None = None
        self._announcing = False
        self._page = observer_page()

    @property
    def authority(self) -> str:
        """host:port as the Host header must say it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.authority}/"

    def start(self) -> str:
        """Bind and serve; returns the page's URL. RoomServerError when the address is taken
        or not this machine's."""
        started = threading.Event()
        problem: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._open())
            except BaseException as error:  # reported to start()'s caller
                problem.append(error)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.close()

        self._thread = threading.Thread(target=serve, name="room-server", daemon=True)
        self._thread.start()
        started.wait()
        if problem:
            self._thread.join()
            error = problem[0]
            raise RoomServerError(f"cannot listen on {self.host}:{self.port}: {error}") from error
        self.room.on_change = self._notify
        return self.url

    def stop(self) -> None:
        """Close the room's page: nothing is served once this returns."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self.room.on_change = lambda: None
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = self._thread = None

    def _notify(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._announce_soon)

    def _announce_soon(self) -> None:
        # Changes that come in a burst (40 ratings in a second) wake the waiting pages once per
        # NEWS_GATHER_SECONDS instead of once per rating, which keeps every rating quick.
        if not self._announcing:
            self._announcing = True
            asyncio.get_running_loop().call_later(NEWS_GATHER_SECONDS, self._announce)

    def _announce(self) -> None:
        self._announcing = False
        news, self._news = self._news, asyncio.get_running_loop().create_future()
        if news is not None and not news.done():
            news.set_result(None)

    async def _open(self) -> None:
        self._news = asyncio.get_running_loop().create_future()
        app = web.Application(
            client_max_size=MAX_BODY_BYTES, middlewares=[self._guard, _security_headers]
        )
        app.router.add_get("/", self._index)
        app.router.add_post("/api/join", self._join)
        app.router.add_get("/api/state", self._state)
        app.router.add_post("/api/rate", self._rate)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=False)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # Every request ----------------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.host != self.authority:
            return _refused(421, "this page is served only at " + self.url)
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and origin != f"http://{self.authority}":
                return _refused(403, "requests from other sites are refused")
            if request.headers.get("Sec-Fetch-Site", "same-origin") not in (
                "same-origin",
                "none",
            ):
                return _refused(403, "requests from other sites are refused")
            if request.content_type != "application/json":
                return _refused(415, "send JSON")
            if (request.content_length or 0) > MAX_BODY_BYTES:
                return _refused(413, "the request is too large")
        try:
            return await handler(request)
        except RoomRefusal as refusal:
            return _refused(refusal.status, str(refusal))
        except web.HTTPException as error:
            return _refused(error.status, error.reason)

    # Routes -----------------------------------------------------------------------------------

    async def _index(self, request: web.Request) -> web.Response:
        if self.room.closed:
            return _refused(410, "the room is closed")
        return web.Response(
            body=self._page.html,
            content_type="text/html",
            charset="utf-8",
            headers={"Content-Security-Policy": self._page.content_security_policy},
        )

    async def _join(self, request: web.Request) -> web.Response:
        body = await _json_object(request, {"pin"})
        pin = body.get("pin")
        if not isinstance(pin, str) or not pin.isdigit() or len(pin) != len(self.room.pin):
            raise RoomRefusal("the PIN is 6 digits")
        address = request.remote or "unknown"
        token, observer = self.room.join(pin, address)
        return web.json_response({"token": token, "observer": observer, "room": self.room.name})

    async def _state(self, request: web.Request) -> web.Response:
        token = _token(request)
        since = request.query.get("since", "")
        self.room.observer(token)
        if since.isdigit() and len(since) < 12 and int(since) >= self.room.version:
            await self._wait_for_news()
        return web.json_response(self.room.view(token))

    async def _rate(self, request: web.Request) -> web.Response:
        token = _token(request)
        body = await _json_object(request, {"reply", "empathy", "composure", "techniques"})
        reply, empathy, composure = body.get("reply"), body.get("empathy"), body.get("composure")
        techniques = body.get("techniques", [])
        if not (_whole(reply) and _whole(empathy) and _whole(composure)):
            raise RoomRefusal("reply, empathy and composure must be whole numbers")
        assert isinstance(reply, int) and isinstance(empathy, int) and isinstance(composure, int)
        if not isinstance(techniques, list) or not all(isinstance(t, str) for t in techniques):
            raise RoomRefusal("techniques must be a list of names")
        if len(techniques) > 20:
            raise RoomRefusal("too many techniques")
        rating = self.room.rate(token, reply, empathy, composure, techniques)
        return web.json_response({"rated": rating.observer, "reply": reply})

    async def _wait_for_news(self) -> None:
        news = self._news
        assert news is not None
        # shield: a page that gives up waiting must not cancel the news for everyone else.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(news), MAX_WAIT_SECONDS)


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", "default-src 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31


def _token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token or len(token) > 64:
        raise web.HTTPUnauthorized(reason="not joined to this room: enter the PIN")
    return token


async def _json_object(request: web.Request, allowed: set[str]) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RoomRefusal("the request is not JSON") from None
    if not isinstance(body, dict):
        raise RoomRefusal("the request must be a JSON object")
    extra = set(body) - allowed
    if extra:
        raise RoomRefusal(f"unexpected field {sorted(extra)[0][:40]!r}")
    return body
