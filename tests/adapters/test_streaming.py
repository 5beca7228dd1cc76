"""Hearing a reply while it is spoken: the real voice-activity detector and Whisper."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.audio.audio_file import read_audio_file
from app.audio.microphone import MicrophoneListener, ReplayedSource
from app.audio.streaming import (
    FRAME_SAMPLES,
    SpeechDetector,
    StreamingHearer,
    ends_a_sentence,
    joined_transcript,
)
from app.audio.transcribers import WhisperTranscriber
from app.core.ports import SAMPLE_RATE, Samples
from app.core.transcript import Transcript, Word
from app.core.wer import word_error_rate

pytestmark = pytest.mark.slow

TWO_SENTENCES = (
    "I understand why you are worried about this charge. "
    "I will block the card right now so that nothing else can be taken."
)


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    return WhisperTranscriber()


@pytest.fixture(scope="module")
def hearer(whisper: WhisperTranscriber) -> Iterator[StreamingHearer]:
    streaming = StreamingHearer(whisper)
    yield streaming
    streaming.close()


def spoken(text: str, tmp_path: Path) -> Samples:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed")
    path = tmp_path / "reply.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), text], check=True)
    return read_audio_file(path)


def with_silence(samples: Samples, before: float, after: float) -> Samples:
    return np.concatenate(
        [
            np.zeros(int(before * SAMPLE_RATE), np.float32),
            samples,
            np.zeros(int(after * SAMPLE_RATE), np.float32),
        ]
    )


def test_finished_sentences_are_told_from_hesitations() -> None:
    assert ends_a_sentence("I will block the card now.")
    assert ends_a_sentence("Is that all right?")
    assert not ends_a_sentence("I will block the card and")  # no full stop
    assert not ends_a_sentence("I will send it to the.")  # ends on a word that needs more
    assert not ends_a_sentence("Okay.")  # too short to trust the full stop


def test_pieces_join_with_their_words_moved_to_the_reply_time() -> None:
    first = Transcript("Hello there.", "whisper", 0.9, (Word("Hello", 0.1, 0.4, 0.9),))
    second = Transcript("Goodbye.", "whisper", 0.7, (Word("Goodbye.", 0.2, 0.6, 0.7),))

    joined = joined_transcript([(0.0, first), (2.5, second)], "whisper")

    assert joined.text == "Hello there. Goodbye."
    assert [word.start for word in joined.words] == [0.1, 2.7]
    assert joined.confidence == pytest.approx(0.8)


def test_the_detector_hears_speech_and_not_silence(speech_data: Path) -> None:
    detector = SpeechDetector()
    speech = read_audio_file(speech_data / "jfk.flac")[SAMPLE_RATE : SAMPLE_RATE * 2]
    voiced = [
        detector.probability(speech[i : i + FRAME_SAMPLES])
        for i in range(0, speech.size - FRAME_SAMPLES, FRAME_SAMPLES)
    ]
    detector.reset()
    silence = [detector.probability(np.zeros(FRAME_SAMPLES, np.float32)) for _ in range(20)]

    assert np.mean(voiced) > 0.6
    assert max(silence) < 0.2


def test_a_reply_is_transcribed_in_pieces_as_well_as_whole(
    hearer: StreamingHearer, whisper: WhisperTranscriber, tmp_path: Path
) -> None:
    reply = spoken(TWO_SENTENCES, tmp_path)
    listener = MicrophoneListener(ReplayedSource(with_silence(reply, 0.5, 2.0)))

    heard = hearer.hear(listener)

    whole = whisper.transcribe(reply).text
    streamed_errors = word_error_rate(TWO_SENTENCES, heard.transcript.text)
    # Pieces cost some accuracy (docs/performance.md: 2.7 points over the bench's replies).
    assert streamed_errors <= word_error_rate(TWO_SENTENCES, whole) + 0.15
    assert heard.pieces >= 1
    assert heard.speech_ended_at is not None
    assert heard.voice is not None
    # Word timings are on the reply's own clock, in order, within its audio.
    starts = [word.start for word in heard.transcript.words]
    assert starts == sorted(starts)
    assert starts[-1] < reply.size / SAMPLE_RATE + 0.6


def test_a_long_pause_after_an_unfinished_sentence_does_not_end_the_reply(
    hearer: StreamingHearer, tmp_path: Path
) -> None:
    start = spoken("The refund will go to", tmp_path)
    end = spoken("your own account, and you will get a text message to confirm it.", tmp_path)
    reply = np.concatenate([start, np.zeros(int(0.7 * SAMPLE_RATE), np.float32), end])
    listener = MicrophoneListener(ReplayedSource(with_silence(reply, 0.3, 2.0)))

    heard = hearer.hear(listener)

    assert "confirm" in heard.transcript.text.lower()


def test_nobody_speaking_gives_an_empty_reply(hearer: StreamingHearer) -> None:
    silence = np.zeros(SAMPLE_RATE * 2, np.float32)
    listener = MicrophoneListener(ReplayedSource(silence), wait_seconds=1.0)

    heard = hearer.hear(listener)

    assert heard.is_empty


def test_a_cancelled_request_returns_at_once(hearer: StreamingHearer, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    listener = MicrophoneListener(ReplayedSource(spoken(TWO_SENTENCES, tmp_path)))

    assert hearer.hear(listener, cancel=cancel).is_empty


def test_push_to_talk_keeps_everything_until_the_input_ends(
    hearer: StreamingHearer, speech_data: Path
) -> None:
    recording = read_audio_file(speech_data / "jfk.flac")
    listener = MicrophoneListener(ReplayedSource(recording), push_to_talk=True)

    heard = hearer.hear(listener)

    # JFK's long pauses would end a hands-free reply; push-to-talk hears all of it.
    assert heard.transcript.text.lower().rstrip(".").endswith("for your country")
    assert heard.pieces >= 2


def test_a_paced_replay_takes_as_long_as_the_speech() -> None:
    source = ReplayedSource(np.zeros(SAMPLE_RATE // 4, np.float32), realtime=True)
    listener = MicrophoneListener(source, push_to_talk=True)

    chunks = list(listener.chunks())

    assert sum(chunk.size for chunk in chunks) == SAMPLE_RATE // 4
    assert source.started_at is not None
