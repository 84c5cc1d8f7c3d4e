#!/usr/bin/env bash
# Sets up this checkout on a Debian/Ubuntu machine (system libraries for Qt, a venv, the package) and then
# starts the app (`./dev.sh start [app options]`) or runs every check CI runs (`./dev.sh test [pytest args]`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
# What Qt's xcb/offscreen platforms, QtMultimedia (PulseAudio client) and the keychain need at run time;
# xvfb/xauth/xdotool/imagemagick let tests and people run and look at a real window with no display.
SYSTEM_PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxrender1 libx11-xcb1 libpulse0
  fonts-dejavu-core xvfb xauth xdotool imagemagick
  # For the packaging tests: a real keychain on a private D-Bus, the .desktop checker, the bundle's tools, and
  # rpmbuild/rpm2cpio (rpm) and cpio for the .rpm.
  dbus-daemon gnome-keyring desktop-file-utils binutils rpm cpio
)

log() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*" >&2; }

install_system_packages() {
  command -v dpkg-query >/dev/null || { log "not a Debian-like system: install Qt's runtime libraries yourself"; return; }
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_venv() {
  python3 -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' \
    || { log "Python 3.11-3.13 is required (found $(python3 --version))"; exit 1; }
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  # Reinstall only when the dependency list changed: a second start is instant.
  local stamp
  stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -e "$stamp" ]; then
    log "installing Python packages into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e '.[test]'
    rm -f "$VENV"/.installed-*; touch "$stamp"
  fi
}

cmd=${1:-start}; [ $# -gt 0 ] && shift
install_system_packages
setup_venv
export QT_API=pyside6

case "$cmd" in
  start)
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
      log "no display found: starting on a virtual X server (xvfb-run)"
      exec xvfb-run -a "$VENV/bin/python" -m sora2_desktop "$@"
    fi
    exec "$VENV/bin/python" -m sora2_desktop "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    # The Linux bundle and .deb are built and started as part of the test run (about 4 minutes);
    # SORA2_BUILD_BUNDLE=0 ./dev.sh test skips that while iterating.
    export SORA2_BUILD_BUNDLE="${SORA2_BUILD_BUNDLE:-1}"
    log "ruff"; "$VENV/bin/ruff" check sora2_desktop tests benchmarks
    "$VENV/bin/ruff" format --check sora2_desktop tests benchmarks
    log "mypy"; "$VENV/bin/mypy"
    log "pytest"; exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *) echo "usage: ./dev.sh start [app options] | ./dev.sh test [pytest options]" >&2; exit 2 ;;
esac
