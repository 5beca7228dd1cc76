"""Which exceptions are the user's to fix, and so are shown as one line instead of a traceback."""

from __future__ import annotations

import sys


class UserError(Exception):
    """A problem the user can fix, said in one line."""


# (module, class) of every error whose message is written for the user. Looked up only in
# modules already imported: an error cannot come from a module that was never loaded, and the
# check stays free of the cost of importing Whisper or Qt.
_USER_ERRORS = (
    ("app.core.scenario", "ScenarioError"),
    ("app.core.voice_preset", "VoicePresetError"),
    ("app.storage.database", "StorageError"),
    ("app.audio.audio_file", "AudioFileError"),
    ("app.audio.transcribers", "ModelUnavailableError"),
    ("app.audio.microphone", "NoMicrophoneError"),
    ("app.audio.speech_process", "SpeechError"),
)


def is_user_error(error: BaseException) -> bool:
    if isinstance(error, UserError | LookupError | ValueError | OSError):
        return True
    for module_name, class_name in _USER_ERRORS:
        module = sys.modules.get(module_name)
        error_class = getattr(module, class_name, None) if module else None
        if isinstance(error_class, type) and isinstance(error, error_class):
            return True
    return False


def one_line(error: BaseException) -> str:
    """The first line of an error's message: enough to act on, short enough for a status bar."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
