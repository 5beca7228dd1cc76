"""Word error rate with and without the scenario's vocabulary as Whisper's prompt.

The replies are every scenario's model replies (what a good trainee says, full of the call's
words: amounts, "paper bill", the customer's name), spoken by espeak-ng, and transcribed whole
twice: plainly, and with `scenario_vocabulary()` as the initial prompt. The prompt is built
from the persona and the concerns' cues, never from the model replies themselves.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.audio.audio_file import read_audio_file
from app.audio.transcribers import WhisperTranscriber
from app.audio.vocabulary import scenario_vocabulary
from app.core.scenario import Scenario
from app.core.wer import word_error_rate

VOICES = ("en-us", "en-gb+f3")


@dataclass(frozen=True)
class VocabularyFigures:
    replies: int
    plain_percent: float
    prompted_percent: float
    worse: int  # replies transcribed worse with the prompt
    better: int


def vocabulary_figures(
    whisper: WhisperTranscriber, scenarios: list[Scenario], per_stage: int = 1
) -> VocabularyFigures:
    plain: list[float] = []
    prompted: list[float] = []
    with tempfile.TemporaryDirectory(prefix="skeptic-vocabulary-") as folder:
        path = Path(folder) / "reply.wav"
        step = 0
        for scenario in scenarios:
            prompt = scenario_vocabulary(scenario)
            for stage in scenario.stages:
                for text in stage.model_replies[:per_stage]:
                    voice = VOICES[step % len(VOICES)]
                    step += 1
                    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
                    samples = read_audio_file(path)
                    plain.append(word_error_rate(text, whisper.transcribe(samples).text))
                    heard = whisper.transcribe_with_prompt(samples, prompt).text
                    prompted.append(word_error_rate(text, heard))
    pairs = list(zip(plain, prompted, strict=True))
    return VocabularyFigures(
        replies=len(pairs),
        plain_percent=round(100 * float(np.mean(plain)), 2),
        prompted_percent=round(100 * float(np.mean(prompted)), 2),
        worse=sum(after > before for before, after in pairs),
        better=sum(after < before for before, after in pairs),
    )
