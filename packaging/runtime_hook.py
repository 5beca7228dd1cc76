"""Runs first in the bundled program (and in its speech process): point the parts that look
for files in fixed system folders at the bundle's own copies.

- espeak-ng reads its voices from a folder compiled into the library (/usr/lib/.../espeak-ng-data)
  unless ESPEAK_DATA_PATH names the folder that holds espeak-ng-data/.
- sounddevice finds PortAudio with ctypes.util.find_library, which asks the system's linker
  cache; on a machine without PortAudio that finds nothing, so look in the bundle first.
- ALSA (under PortAudio) reads /usr/share/alsa/alsa.conf, and PortAudio aborts the program when
  that file is missing (a machine without libasound2-data): then use the bundle's copy.
- Nothing may be downloaded at run time: Hugging Face's client is told it is offline.
"""

import ctypes.util
import glob
import os
import sys

_BUNDLE = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(sys.executable)))

if os.path.isdir(os.path.join(_BUNDLE, "espeak-ng-data")):
    os.environ["ESPEAK_DATA_PATH"] = _BUNDLE
os.environ.setdefault("HF_HUB_OFFLINE", "1")
_BUNDLED_ALSA = os.path.join(_BUNDLE, "alsa")
if not os.path.isfile("/usr/share/alsa/alsa.conf") and os.path.isdir(_BUNDLED_ALSA):
    os.environ.setdefault("ALSA_CONFIG_DIR", _BUNDLED_ALSA)
    os.environ.setdefault("ALSA_CONFIG_PATH", os.path.join(_BUNDLED_ALSA, "alsa.conf"))

if sys.platform.startswith("linux"):
    _system_find_library = ctypes.util.find_library

    def _find_bundled_library(name: str) -> str | None:
        bundled = sorted(glob.glob(os.path.join(_BUNDLE, f"lib{name}.so*")))
        return bundled[0] if bundled else _system_find_library(name)

    ctypes.util.find_library = _find_bundled_library
