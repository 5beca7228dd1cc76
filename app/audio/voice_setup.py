"""Builds the customer's voice from what is installed: espeak-ng always, Piper when it is there.

The neural engine is an optional extra (`pip install skeptic[neural-voice]`): without it, or
with no voice pack that suits a persona, the customer speaks with espeak-ng and says so once.
"""

from __future__ import annotations

import threading
from pathlib import Path

from app.audio.playback import Playback
from app.audio.speaker import CustomerVoice, choose_pack
from app.audio.speech_process import SpeechProcess
from app.audio.voice_packs import VoicePack, find_voice_packs, neural_engine_installed
from app.core.voice_preset import load_voice_preset, voice_preset_names


def open_customer_voice(
    data_dir: Path | None, playback: Playback, neural: bool = True, warm: bool = True
) -> CustomerVoice:
    """The customer's voice; with `warm`, both engines start loading in the background."""
    espeak = SpeechProcess()
    packs: list[VoicePack] = []
    neural_speech: SpeechProcess | None = None
    if neural and neural_engine_installed():
        packs, _problems = find_voice_packs(data_dir)
        if packs:
            neural_speech = SpeechProcess(engine="neural", start_timeout=60.0)
    voice = CustomerVoice(espeak, playback, neural=neural_speech, packs=packs)
    if warm:
        threading.Thread(target=_warm, args=(voice,), name="speech-start", daemon=True).start()
    return voice


def close_customer_voice(voice: CustomerVoice) -> None:
    voice.speech.close()
    if voice.neural is not None:
        voice.neural.close()


def _warm(voice: CustomerVoice) -> None:
    """Start espeak-ng, then load every neural voice a persona will use (first lines wait)."""
    try:
        voice.speech.start()
    except Exception:  # the first line reports it
        return
    if voice.neural is None:
        return
    used = {choose_pack(load_voice_preset(name), voice.packs) for name in voice_preset_names()}
    for pack in used:
        if pack is None:
            continue
        try:
            voice.neural.warm_up(pack)
        except Exception:  # the first line falls back to espeak-ng and says why
            return
