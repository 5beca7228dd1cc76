"""Every program the app or the tests run is installed by scripts/setup.sh.

A fresh Debian machine with only Python 3.11 must pass ./scripts/test, so a test that calls
`ffmpeg` because the developer's machine happened to have it is a bug. This finds every program
named in a `subprocess` call or a `shutil.which` look-up in app/ and tests/ and checks that the
Debian package providing it is one the set-up installs.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

from app.paths import PROJECT_ROOT

# Which Debian package provides each program. A new program must be added here *and* to
# scripts/setup.sh; the second test checks this table against dpkg where it can.
PROVIDED_BY = {
    "espeak-ng": "espeak-ng",
    "paplay": "pulseaudio-utils",
    "pactl": "pulseaudio-utils",
    "parec": "pulseaudio-utils",
    "xdotool": "xdotool",
    "chattr": "e2fsprogs",
    "mount": "mount",
    "umount": "mount",
    "bash": "bash",
    "dpkg-query": "dpkg",
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
    "openssl": "openssl",
}
# Essential packages are on every Debian system (setup.sh itself runs on them).
ESSENTIAL = {"bash", "dpkg"}
_RUNNERS = {"run", "Popen", "call", "check_call", "check_output"}


def _programs_in(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        first = node.args[0]
        if name == "which" and isinstance(first, ast.Constant):
            found.add(str(first.value))
        elif name in _RUNNERS and isinstance(first, ast.List | ast.Tuple) and first.elts:
            program = first.elts[0]
            if isinstance(program, ast.Constant) and isinstance(program.value, str):
                found.add(program.value)
    return found


def programs_called() -> dict[str, list[str]]:
    """Program name -> the files that run it."""
    called: dict[str, list[str]] = {}
    for folder in ("app", "tests"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            for program in _programs_in(path):
                called.setdefault(program, []).append(str(path.relative_to(PROJECT_ROOT)))
    return called


def packages_installed_by_setup() -> set[str]:
    script = PROJECT_ROOT / "scripts" / "setup.sh"
    listed = subprocess.run(
        ["bash", "-c", f'source "{script}"; echo "${{RUN_PACKAGES[@]}} ${{TEST_PACKAGES[@]}}"'],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.split()) | ESSENTIAL


def test_the_finder_sees_the_shapes_the_code_uses(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import shutil, subprocess\n"
        "subprocess.run(['ffmpeg', '-i', 'x'])\n"
        "subprocess.Popen(('sox', 'a', 'b'))\n"
        "shutil.which('lame')\n"
        "subprocess.run([sys.executable, '-m', 'app'])\n"
    )
    assert _programs_in(sample) == {"ffmpeg", "sox", "lame"}


def test_every_program_called_is_installed_by_the_setup() -> None:
    called = programs_called()
    assert "espeak-ng" in called  # the finder works on the real tree
    installed = packages_installed_by_setup()
    unknown = {program: files for program, files in called.items() if program not in PROVIDED_BY}
    assert not unknown, f"programs with no Debian package in PROVIDED_BY: {unknown}"
    missing = {
        program: PROVIDED_BY[program] for program in called if PROVIDED_BY[program] not in installed
    }
    assert not missing, f"scripts/setup.sh does not install the packages of {missing}"


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system")
@pytest.mark.parametrize("program", sorted(PROVIDED_BY))
def test_the_package_table_is_true(program: str) -> None:
    location = shutil.which(program)
    if location is None:
        pytest.fail(f"{program} is not installed: run ./scripts/test, which installs it")
    owner = subprocess.run(
        ["dpkg-query", "-S", str(Path(location).resolve())],
        capture_output=True,
        text=True,
        check=False,
    )
    if owner.returncode:  # merged /usr: dpkg knows /bin/x, not /usr/bin/x
        owner = subprocess.run(
            ["dpkg-query", "-S", f"/bin/{program}"], capture_output=True, text=True, check=False
        )
    assert owner.stdout.split(":")[0] == PROVIDED_BY[program], owner.stdout
