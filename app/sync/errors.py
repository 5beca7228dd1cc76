"""The one error type of this package: a problem said in one line a person can act on."""

from __future__ import annotations

from app.errors import UserError


class SyncError(UserError):
    """A bundle or the central store could not be used; the local history is unchanged."""
