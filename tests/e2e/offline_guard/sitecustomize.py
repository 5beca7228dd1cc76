"""Loaded by every Python process of an offline test (and the processes they spawn): any
attempt to open a network connection is refused and written down."""

import os
import socket
from typing import Any

_LOG = os.environ["SKEPTIC_NETWORK_LOG"]
_NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6}


def _refuse(what: str, target: object) -> None:
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {what} {target!r}\n")
    raise OSError(f"network blocked by the offline test: {what} {target!r}")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in _NETWORK_FAMILIES:
        _refuse("connect", address)
    _connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in _NETWORK_FAMILIES:
        _refuse("connect", address)
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> list[Any]:
    _refuse("getaddrinfo", host)
    return []


socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
socket.getaddrinfo = _guarded_getaddrinfo
