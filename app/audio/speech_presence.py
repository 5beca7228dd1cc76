"""Whether a recording holds any speech at all, before Whisper is asked what was said.

Whisper, given silence or room noise, invents words: 30 s of silence came back as "you", ten
minutes as "you you you ..." (and 712 MB of memory). No speech must mean no words, so the
Silero voice-activity model that ships inside faster-whisper (offline, a few MB) decides first.
"""

from __future__ import annotations

import numpy as np

from app.core.ports import SAMPLE_RATE, Samples

# Below this peak the recording is digital silence, and the model need not be run.
SILENT_PEAK = 1e-3
# Speech shorter than this in total is a click or a breath, not a reply.
SHORTEST_SPEECH_SECONDS = 0.25


def holds_speech(samples: Samples) -> bool:
    audio = np.asarray(samples, dtype=np.float32)
    if audio.size == 0 or float(np.max(np.abs(audio))) < SILENT_PEAK:
        return False
    from faster_whisper.vad import get_speech_timestamps

    spans = get_speech_timestamps(audio, sampling_rate=SAMPLE_RATE)
    spoken = sum(int(span["end"]) - int(span["start"]) for span in spans)
    return spoken >= SHORTEST_SPEECH_SECONDS * SAMPLE_RATE
