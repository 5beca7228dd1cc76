"""The QR code the projector shows, so that a phone opens the room's page without typing."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, *, scale: int = 10) -> bytes:
    """The URL as a QR code in SVG, dark on a white quiet zone (readable in either theme)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, dark="#000000", light="#ffffff")
    return out.getvalue()


def qr_text(url: str) -> str:
    """The code drawn in the terminal, for `room serve` without a window."""
    code = segno.make(url, error="m", micro=False)
    out = io.StringIO()
    code.terminal(out=out, compact=True)
    return out.getvalue()
