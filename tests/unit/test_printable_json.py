"""Control characters in `--json` output are escaped so that the line stays valid JSON."""

import json

from app.terminal_text import printable


def test_delete_and_c1_controls_in_json_output_stay_valid_json() -> None:
    item = {"id": "a\x7fb\x85c\u2028d", "reply": "\x1b[2J"}
    line = printable(json.dumps(item, ensure_ascii=False))

    assert json.loads(line) == item
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in line)
