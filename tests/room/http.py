"""A plain HTTP client for the room's server, in full control of every header."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class Client:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        assert parts.hostname is not None and parts.port is not None
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"http://{parts.netloc}"
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"text": raw.decode(errors="replace")}
        if not isinstance(parsed, dict):
            parsed = {"value": parsed}
        return Answer(response.status, parsed, {k.lower(): v for k, v in response.getheaders()})

    def post(self, path: str, payload: Any, token: str = "", **headers: str) -> Answer:
        sent = {"Content-Type": "application/json", "Origin": self.origin}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        sent.update({key.replace("_", "-"): value for key, value in headers.items()})
        return self.request("POST", path, json.dumps(payload).encode(), sent)

    def state(self, token: str, since: int | None = None) -> Answer:
        path = "/api/state" if since is None else f"/api/state?since={since}"
        return self.request("GET", path, headers={"Authorization": f"Bearer {token}"})

    def join(self, pin: str) -> Answer:
        return self.post("/api/join", {"pin": pin})

    def close(self) -> None:
        self.connection.close()
