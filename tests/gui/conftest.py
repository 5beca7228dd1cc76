"""The central store's fixtures (a database on the test PostgreSQL) for the window's tests."""

from tests.sync.conftest import central, logins

__all__ = ["central", "logins"]
