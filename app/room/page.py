"""The observers' page: one HTML file with its style and script inline, so that it needs
nothing from the internet, and a Content-Security-Policy that allows exactly those two."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from app.room.techniques import technique_labels

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@dataclass(frozen=True)
class Page:
    html: bytes
    content_security_policy: str


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@cache
def observer_page() -> Page:
    template = resources.files("app.room").joinpath("observer.html").read_text(encoding="utf-8")
    html = template.replace("{{TECHNIQUES_JSON}}", json.dumps(technique_labels()))
    styles = " ".join(_hash(block) for block in _STYLE.findall(html))
    scripts = " ".join(_hash(block) for block in _SCRIPT.findall(html))
    policy = (
        f"default-src 'none'; style-src {styles}; script-src {scripts}; connect-src 'self'; "
        "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return Page(html.encode(), policy)
