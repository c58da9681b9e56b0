#!/usr/bin/env bash
# Installs the Debian packages Riffle needs, and only those that are missing.
#
#   scripts/install-deps.sh          build and run dependencies
#   scripts/install-deps.sh --test   the same plus the tools the tests drive (tmux, sox, ffprobe, ...)
#
# Idempotent and quick: when everything is present it asks dpkg once and exits (well under a second).
set -euo pipefail

build_packages=(
  pkg-config
  libncurses-dev libncursesw5-dev   # the studio's screen (wide-character ncurses)
  ncurses-term                      # terminfo for the less common terminals (xterm-16color, kitty, ...)
  libasound2-dev                    # playback through ALSA
  libsndfile1-dev                   # reading and writing WAV, FLAC, OGG Vorbis, MP3
  libsamplerate0-dev                # resampling on import
  libebur128-dev                    # loudness and true peak
  libfluidsynth-dev                 # the Composer's renderer
  fluid-soundfont-gm                # the General MIDI SoundFont it renders with
  libsqlite3-dev                    # the library (GRDB)
  libsentencepiece-dev              # MusicGen's text tokenizer
  libopenblas-dev                   # MusicGen's matrix products (CBLAS)
  libdnnl-dev                       # oneDNN: riffle-bench compares MusicGen's kernels with its matmul
)
test_packages=(
  tmux                              # drives the studio end to end
  sox libsox-fmt-all                # interop checks: files sox writes, files sox reads
  ffmpeg                            # ffprobe: files Riffle writes must open there
  alsa-utils                        # aplay and the ALSA file sink
  curl                              # the API contract check talks to riffle serve
  wrk                               # make bench: riffle serve under 200 concurrent clients
)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
fi

# One dpkg query for all of them; a package dpkg has never heard of prints nothing, so it stays missing.
declare -A installed=()
while read -r name status; do
  if [[ "$status" == "installed" ]]; then installed[$name]=1; fi
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true)
missing=()
for name in "${wanted[@]}"; do
  if [[ -z "${installed[$name]:-}" ]]; then missing+=("$name"); fi
done

# The tests read Riffle's MIDI files back with mido, a MIDI reader from PyPI.
python_missing=()
if [[ "${1:-}" == "--test" ]] && ! python3 -c "import mido" 2>/dev/null; then
  python_missing+=(mido)
fi
if [[ ${#python_missing[@]} -gt 0 ]]; then
  echo "riffle: installing missing Python packages: ${python_missing[*]}"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${python_missing[@]}"
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "riffle: installing missing Debian packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "riffle: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
