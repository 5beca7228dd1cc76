"""A keyring back end for the tests: this machine has no Secret Service, so the product's
keyring code is exercised against a JSON file (named by SKEPTIC_TEST_KEYRING_FILE) through
keyring's own back-end interface, selected with PYTHON_KEYRING_BACKEND as a user would."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    def _file(self) -> Path:
        return Path(os.environ["SKEPTIC_TEST_KEYRING_FILE"])

    def _all(self) -> dict[str, str]:
        path = self._file()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        kept = self._all()
        kept[f"{service}/{username}"] = password
        self._file().write_text(json.dumps(kept))

    def delete_password(self, service: str, username: str) -> None:
        kept = self._all()
        kept.pop(f"{service}/{username}", None)
        self._file().write_text(json.dumps(kept))
