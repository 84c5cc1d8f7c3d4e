#!/usr/bin/env bash
# Builds the Linux installers of Sora 2 Desktop from this checkout:
#
#   packaging/build_linux.sh [--out DIR] [--venv DIR] [--python PYTHON] [--no-appimage]
#
#   1. a fresh build venv (--venv, default DIR/venv): the app's runtime dependencies and PyInstaller, exactly as
#      locked with hashes in packaging/requirements-lock.txt and requirements-build-lock.txt (pip --require-hashes);
#      reused while those two files are unchanged
#   2. the bundle: PyInstaller with packaging/sora2-desktop.spec  -> DIR/dist/sora2-desktop/
#   3. the .deb (dpkg-deb): bundle in /usr/lib/sora2-desktop, /usr/bin/sora2-desktop, menu entry, icons, AppStream
#                                                               -> DIR/sora2-desktop_<version>_<arch>.deb
#   4. the AppDir (AppRun, .desktop, icons, the same bundle)    -> DIR/AppDir/
#   5. the AppImage, when appimagetool is found (APPIMAGETOOL=/path, or on PATH; it is not in PyPI's or Debian's
#      registries, so the hosted CI downloads it)                -> DIR/Sora_2_Desktop-<version>-<arch>.AppImage
#
# Needs a Debian/Ubuntu-like system with Python 3.11-3.13, binutils (PyInstaller's ldd/objdump), dpkg-deb, and the
# libraries Qt loads at run time (the bundle carries the build machine's copies); missing Debian packages are
# installed when running as root (or with sudo), as dev.sh does. The bundle needs the build machine's glibc or newer:
# build on the oldest distribution you support (the hosted CI uses Ubuntu 22.04).
# DEB_MAINTAINER sets the .deb's Maintainer field. Prints `built: <path> <size>` for every artefact.
# Try the result: `DIR/dist/sora2-desktop/sora2-desktop --self-test`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/build/linux"
VENV=""
PYTHON="${PYTHON:-python3}"
WANT_APPIMAGE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --venv) VENV="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    --no-appimage) WANT_APPIMAGE=0; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build_linux.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ -n "$VENV" ]; then mkdir -p "$VENV"; VENV="$(cd "$VENV" && pwd)"; fi

log() { printf '\033[1m[build_linux]\033[0m %s\n' "$*" >&2; }
human() { numfmt --to=si --suffix=B --format='%.1f' "$1"; }  # MB = 10^6 bytes, as in the README
STARTED=$(date +%s)

# -- build tools and the libraries the bundle takes from this machine ---------------------------------------------
# PyInstaller copies what Qt's libraries and plugins link to from this machine into the bundle: Qt's xcb platform,
# PulseAudio (QtMultimedia), fontconfig... They have to be here to be bundled.
RUNTIME_PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxrender1 libx11-xcb1 libpulse0
  libwayland-client0 libwayland-cursor0 libwayland-egl1
)
need_packages=()
command -v objdump >/dev/null || need_packages+=(binutils)
command -v dpkg-deb >/dev/null || need_packages+=(dpkg)
"$PYTHON" -c 'import ensurepip' 2>/dev/null || need_packages+=(python3-venv)
if command -v dpkg-query >/dev/null; then
  for p in "${RUNTIME_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_packages+=("$p")
  done
fi
if [ ${#need_packages[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { log "missing: ${need_packages[*]} (no apt-get: install them yourself)"; exit 1; }
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Newer releases renamed a few of these (…t64); the check after bundling tells if anything is really missing.
  $sudo apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null \
    || log "some packages did not install; going on"
fi
"$PYTHON" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' \
  || { log "Python 3.11-3.13 is required (found $("$PYTHON" --version))"; exit 1; }

# -- 1. build venv -------------------------------------------------------------------------------------------------
# The app's runtime dependencies and PyInstaller, installed only from the hash-checked locks (a release changed or
# added on PyPI after the lock was made cannot reach a build); the app's own code is analysed straight from the
# checkout (the spec's pathex), so nothing is built or written inside the checkout, and no `pip install .` is needed.
# pip is not upgraded: that would fetch an unpinned pip; the venv's own pip checks hashes and markers.
VENV="${VENV:-$OUT/venv}"
stamp="$VENV/.built-$(cat "$REPO/packaging/requirements-lock.txt" "$REPO/packaging/requirements-build-lock.txt" | sha1sum | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  log "making a fresh build venv in $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
    -r "$REPO/packaging/requirements-lock.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
    -r "$REPO/packaging/requirements-build-lock.txt"
  touch "$stamp"
else
  log "reusing the build venv in $VENV (its inputs are unchanged)"
fi
VERSION="$(cd "$REPO" && "$VENV/bin/python" -c 'import sora2_desktop; print(sora2_desktop.__version__)')"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
case "$(uname -m)" in x86_64) APPIMAGE_ARCH=x86_64 ;; aarch64) APPIMAGE_ARCH=aarch64 ;; *) APPIMAGE_ARCH="$(uname -m)" ;; esac

# -- 2. bundle -----------------------------------------------------------------------------------------------------
log "bundling with PyInstaller (about a minute)"
(cd "$OUT" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/pyinstaller" "$REPO/packaging/sora2-desktop.spec")
BUNDLE="$OUT/dist/sora2-desktop"
[ -x "$BUNDLE/sora2-desktop" ] || { log "PyInstaller made no $BUNDLE/sora2-desktop"; exit 1; }
# Every library a bundled file links to must be in the bundle or on every desktop (packaging/linux/depends.txt).
missing="$(find "$BUNDLE" -type f \( -name '*.so*' -o -name sora2-desktop \) -print0 \
  | LD_LIBRARY_PATH="$BUNDLE/_internal:$BUNDLE/_internal/PySide6/Qt/lib" xargs -0 ldd 2>/dev/null \
  | grep 'not found' | awk '{print $1}' | sort -u || true)"
if [ -n "$missing" ]; then
  log "the bundle links to libraries this machine lacks, so they are not bundled: $(echo "$missing" | tr '\n' ' ')"
  log "install their packages (see RUNTIME_PACKAGES in this script) and build again"
  exit 1
fi

# The AppStream component id (reverse DNS, like the macOS bundle id in the spec); its file is named after it.
APPSTREAM_ID="$(sed -n 's:.*<id>\(.*\)</id>.*:\1:p' "$REPO/packaging/linux/sora2-desktop.metainfo.xml.in" | head -1)"

# -- shared: menu entry, icons, AppStream --------------------------------------------------------------------------
# install_desktop_files ROOT: the freedesktop files under ROOT/usr/share (the .deb's root or the AppDir)
install_desktop_files() {
  local root="$1" size
  install -Dm644 "$REPO/resources/sora2-desktop.desktop" "$root/usr/share/applications/sora2-desktop.desktop"
  for size in 16 22 24 32 48 64 128 256 512; do
    install -Dm644 "$REPO/resources/icons/sora2-desktop-$size.png" \
      "$root/usr/share/icons/hicolor/${size}x${size}/apps/sora2-desktop.png"
  done
  install -Dm644 "$REPO/resources/icons/sora2-desktop.svg" "$root/usr/share/icons/hicolor/scalable/apps/sora2-desktop.svg"
  mkdir -p "$root/usr/share/metainfo"
  sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%F)/" \
    "$REPO/packaging/linux/sora2-desktop.metainfo.xml.in" > "$root/usr/share/metainfo/$APPSTREAM_ID.metainfo.xml"
  chmod 644 "$root/usr/share/metainfo/$APPSTREAM_ID.metainfo.xml"
}

# -- 3. .deb -------------------------------------------------------------------------------------------------------
log "making the .deb"
DEBROOT="$OUT/deb-root"
rm -rf "$DEBROOT"
mkdir -p "$DEBROOT/usr/lib" "$DEBROOT/usr/bin" "$DEBROOT/DEBIAN" "$DEBROOT/usr/share/doc/sora2-desktop"
cp -a "$BUNDLE" "$DEBROOT/usr/lib/sora2-desktop"
ln -s ../lib/sora2-desktop/sora2-desktop "$DEBROOT/usr/bin/sora2-desktop"
install_desktop_files "$DEBROOT"
cat > "$DEBROOT/usr/share/doc/sora2-desktop/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: sora2-desktop

Files: *
License: MIT
Comment: The bundle in /usr/lib/sora2-desktop also carries CPython (PSF License), Qt 6 and PySide6 (LGPL-3.0),
 FFmpeg (LGPL-2.1+), httpx, keyring, qasync and minio, each under its own license (see their dist-info folders).
EOF
# libc6: the newest GLIBC_ symbol version any file in the bundle asks for.
glibc="$(find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
depends="libc6 (>= ${glibc:-2.28})"
while read -r pkg; do
  case "$pkg" in ''|'#'*) continue ;; esac
  depends="$depends, $pkg"
done < "$REPO/packaging/linux/depends.txt"
installed_kb="$(du -sk --apparent-size "$DEBROOT" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
  -e "s/@DEPENDS@/$depends/" \
  -e "s|@MAINTAINER@|${DEB_MAINTAINER:-Sora 2 Desktop maintainers <maintainers@sora2-desktop.invalid>}|" \
  "$REPO/packaging/linux/control.in" > "$DEBROOT/DEBIAN/control"
# Debian's desktop-file-utils and hicolor-icon-theme refresh the menu and icon caches through dpkg triggers on
# /usr/share/applications and /usr/share/icons/hicolor: no maintainer scripts are needed.
find "$DEBROOT" -type d -exec chmod 755 {} +
DEB="$OUT/sora2-desktop_${VERSION}_${ARCH}.deb"
rm -f "$OUT"/sora2-desktop_*.deb
dpkg-deb --root-owner-group -Zxz --build "$DEBROOT" "$DEB" >/dev/null

# -- 4. AppDir -----------------------------------------------------------------------------------------------------
log "making the AppDir"
APPDIR="$OUT/AppDir"
rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib"
cp -a "$BUNDLE" "$APPDIR/usr/lib/sora2-desktop"
install -m755 "$REPO/packaging/linux/AppRun" "$APPDIR/AppRun"
install_desktop_files "$APPDIR"
install -m644 "$REPO/resources/sora2-desktop.desktop" "$APPDIR/sora2-desktop.desktop"
install -m644 "$REPO/resources/icons/sora2-desktop-256.png" "$APPDIR/sora2-desktop.png"
ln -s sora2-desktop.png "$APPDIR/.DirIcon"

# -- 5. AppImage ---------------------------------------------------------------------------------------------------
APPIMAGE=""
if [ "$WANT_APPIMAGE" = 1 ]; then
  tool="${APPIMAGETOOL:-$(command -v appimagetool || command -v "appimagetool-$APPIMAGE_ARCH.AppImage" || true)}"
  if [ -n "$tool" ]; then
    log "making the AppImage with $tool"
    APPIMAGE="$OUT/Sora_2_Desktop-$VERSION-$APPIMAGE_ARCH.AppImage"
    rm -f "$APPIMAGE"
    # APPIMAGE_EXTRACT_AND_RUN: appimagetool is itself an AppImage; this runs it where FUSE is missing (containers, CI).
    # APPIMAGE_RUNTIME_FILE: a runtime checked beforehand (the CI pins it with its sha256); without it appimagetool
    # downloads the newest runtime itself, with no checksum.
    runtime_args=()
    [ -n "${APPIMAGE_RUNTIME_FILE:-}" ] && runtime_args=(--runtime-file "$APPIMAGE_RUNTIME_FILE")
    ARCH="$APPIMAGE_ARCH" APPIMAGE_EXTRACT_AND_RUN=1 VERSION="$VERSION" \
      "$tool" --comp zstd --no-appstream "${runtime_args[@]}" "$APPDIR" "$APPIMAGE" >&2
    chmod +x "$APPIMAGE"
  else
    log "no appimagetool here (set APPIMAGETOOL=/path/to/appimagetool): the AppDir is ready, the AppImage is skipped"
  fi
fi

log "done in $(( $(date +%s) - STARTED )) s"
echo "built: $BUNDLE $(human "$(du -sb "$BUNDLE" | cut -f1)") (bundle, unpacked)"
echo "built: $DEB $(human "$(stat -c %s "$DEB")")"
echo "built: $APPDIR/AppRun (AppDir)"
[ -z "$APPIMAGE" ] || echo "built: $APPIMAGE $(human "$(stat -c %s "$APPIMAGE")")"
