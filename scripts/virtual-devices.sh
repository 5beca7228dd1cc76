# Sourced by ./scripts/test and packaging/linux/bench-launch (after setup.sh): starts a virtual
# X screen (Xvfb) and a private PulseAudio server with a virtual microphone and speaker, and
# exports DISPLAY, PULSE_SERVER and the rest. The caller provides WORK (a temporary folder) and
# PIDS (an array its cleanup kills).
start_virtual_devices() {
  # A virtual X screen, so that the GUI tests that need a real window can open one.
  for display_number in $(seq 90 130); do
    [ -e "/tmp/.X11-unix/X$display_number" ] || [ -e "/tmp/.X$display_number-lock" ] || break
  done
  Xvfb ":$display_number" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
  PIDS+=($!)
  export DISPLAY=":$display_number"

  # A private PulseAudio server: what is played into vmic_sink is what the default microphone
  # (vmic) hears; the app's own voice goes to a separate sink, "speaker".
  export XDG_RUNTIME_DIR="$WORK/runtime" PULSE_RUNTIME_PATH="$WORK/runtime/pulse"
  mkdir -p "$PULSE_RUNTIME_PATH" && chmod 700 "$XDG_RUNTIME_DIR"
  export PULSE_SERVER="unix:$WORK/pulse.sock"
  cat >"$WORK/virtual-audio.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$WORK/pulse.sock
load-module module-null-sink sink_name=vmic_sink
load-module module-remap-source master=vmic_sink.monitor source_name=vmic
load-module module-null-sink sink_name=speaker
set-default-source vmic
set-default-sink speaker
PA
  HOME="$WORK" pulseaudio -n -F "$WORK/virtual-audio.pa" --exit-idle-time=-1 --disallow-exit \
    --daemonize=no --log-target=file:"$WORK/pulse.log" >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 50); do
    pactl info >/dev/null 2>&1 && [ -e "/tmp/.X11-unix/X$display_number" ] && break
    sleep 0.1
  done
  pactl info >/dev/null 2>&1 || { echo "skeptic: PulseAudio did not start" >&2; cat "$WORK/pulse.log" >&2; exit 1; }
  export SKEPTIC_TEST_AUDIO=1 HF_HUB_OFFLINE=1
}
