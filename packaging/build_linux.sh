#!/usr/bin/env bash
# Builds the Linux installers of Sora 2 Desktop from this checkout:
#
#   packaging/build_linux.sh [--out DIR] [--python PYTHON] [--stage bundle|package|all] [--venv DIR] [--no-appimage]
#
# --stage bundle (on the oldest system supported: the hosted CI uses a manylinux_2_34 container, glibc 2.34):
#   1. a fresh build venv (--venv, default DIR/venv): the app's runtime dependencies and PyInstaller, exactly as
#      locked with hashes in packaging/requirements-lock.txt and requirements-build-lock.txt (pip --require-hashes);
#      reused while those two files are unchanged
#   2. the bundle: PyInstaller with packaging/sora2-desktop.spec  -> DIR/dist/sora2-desktop/
#      which also writes DIR/THIRD_PARTY_LICENSES.txt (inside the bundle too) and DIR/sbom.cdx.json
#   3. the glibc floor: fails, naming the files, when any bundled file needs a GLIBC_ symbol newer than GLIBC_FLOOR
#      (default 2.34, Rocky/RHEL 9; GLIBC_FLOOR=host: this machine's own glibc, for a local build on a newer system)
# --stage package (from DIR/dist/sora2-desktop, anywhere with dpkg-deb and rpmbuild):
#   4. the .deb (dpkg-deb): bundle in /usr/lib/sora2-desktop, /usr/bin/sora2-desktop, menu entry, icons, AppStream
#                                                               -> DIR/sora2-desktop_<version>_<arch>.deb
#   5. the .rpm (rpmbuild; Debian's `rpm` package) for Rocky/RHEL 9 and Fedora, the same files
#                                                               -> DIR/sora2-desktop-<version>-1.<arch>.rpm
#   6. the AppDir (AppRun, .desktop, icons, the same bundle)    -> DIR/AppDir/
#   7. the AppImage, when appimagetool is found (APPIMAGETOOL=/path, or on PATH; it is not in PyPI's or Debian's
#      registries, so the hosted CI downloads it)                -> DIR/Sora_2_Desktop-<version>-<arch>.AppImage
#   8. DIR/SHA256SUMS over every artefact beside it (installers, SBOM, licences): `sha256sum -c SHA256SUMS`
# --stage all (the default): both.
#
# Needs Python 3.11-3.13 with a shared libpython (PyInstaller embeds it), binutils (PyInstaller's ldd/objdump, the
# glibc check), and the libraries Qt loads at run time (the bundle carries the build machine's copies); missing
# packages are installed with apt-get or dnf when running as root (or with sudo), as dev.sh does.
# DEB_MAINTAINER sets the .deb's Maintainer field; SORA2_BUILD_COMMIT the commit --version names (else git's).
# Prints `built: <path> <size>` for every artefact. Try the result: `DIR/dist/sora2-desktop/sora2-desktop --self-test`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/build/linux"
VENV=""
PYTHON="${PYTHON:-python3}"
STAGE=all
WANT_APPIMAGE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --venv) VENV="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    --stage) STAGE="$2"; shift 2 ;;
    --no-appimage) WANT_APPIMAGE=0; shift ;;
    -h|--help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build_linux.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$STAGE" in bundle|package|all) ;; *) echo "build_linux.sh: --stage is bundle, package or all" >&2; exit 2 ;; esac
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [ -n "$VENV" ]; then mkdir -p "$VENV"; VENV="$(cd "$VENV" && pwd)"; fi
want() { [ "$STAGE" = all ] || [ "$STAGE" = "$1" ]; }

log() { printf '\033[1m[build_linux]\033[0m %s\n' "$*" >&2; }
human() { numfmt --to=si --suffix=B --format='%.1f' "$1"; }  # MB = 10^6 bytes, as in the README
STARTED=$(date +%s)

# -- build tools and the libraries the bundle takes from this machine ---------------------------------------------
# PyInstaller copies what Qt's libraries and plugins link to from this machine into the bundle: Qt's xcb platform,
# PulseAudio (QtMultimedia), fontconfig... They have to be here to be bundled. The same libraries by their Debian and
# by their RHEL/AlmaLinux 9 names (the hosted bundle is built in a manylinux_2_34 container, which is AlmaLinux 9).
RUNTIME_DEBS=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxrender1 libx11-xcb1 libpulse0
  libwayland-client0 libwayland-cursor0 libwayland-egl1
)
RUNTIME_RPMS=(
  libglvnd-egl libglvnd-glx libxkbcommon libxkbcommon-x11 fontconfig freetype dbus-libs glib2 libxcb
  xcb-util-cursor xcb-util-wm xcb-util-image xcb-util-keysyms xcb-util-renderutil libXrender libX11-xcb libX11
  pulseaudio-libs libwayland-client libwayland-cursor libwayland-egl
)
need_debs=()
need_rpms=()
command -v objdump >/dev/null || { need_debs+=(binutils); need_rpms+=(binutils); }
if want bundle; then
  "$PYTHON" -c 'import ensurepip' 2>/dev/null || need_debs+=(python3-venv)
  if command -v dpkg-query >/dev/null; then
    for p in "${RUNTIME_DEBS[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_debs+=("$p")
    done
  elif command -v rpm >/dev/null; then
    for p in "${RUNTIME_RPMS[@]}"; do rpm -q "$p" >/dev/null 2>&1 || need_rpms+=("$p"); done
  fi
fi
if want package; then
  command -v dpkg-deb >/dev/null || need_debs+=(dpkg)
  command -v rpmbuild >/dev/null || need_debs+=(rpm)
fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
if command -v apt-get >/dev/null && [ ${#need_debs[@]} -gt 0 ]; then
  log "installing ${need_debs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Newer releases renamed a few of these (…t64); the check after bundling tells if anything is really missing.
  $sudo apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null \
    || log "some packages did not install; going on"
elif command -v dnf >/dev/null && [ ${#need_rpms[@]} -gt 0 ]; then
  log "installing ${need_rpms[*]}"
  # strict=0: a name this release lacks is skipped; the check after bundling tells if anything is really missing.
  $sudo dnf install -y -q --setopt=install_weak_deps=False --setopt=strict=0 "${need_rpms[@]}" >/dev/null \
    || log "some packages did not install; going on"
fi
tools=(objdump)
want package && tools+=(dpkg-deb rpmbuild)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { log "missing: $tool (from binutils, dpkg, rpm): install it"; exit 1; }
done

# The commit --version and About name; the spec writes it into the bundle (never into the checkout).
if [ -z "${SORA2_BUILD_COMMIT:-}" ]; then
  SORA2_BUILD_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || true)"
  [ -n "$SORA2_BUILD_COMMIT" ] || SORA2_BUILD_COMMIT="${GITHUB_SHA:0:7}"
fi
export SORA2_BUILD_COMMIT="${SORA2_BUILD_COMMIT:-unknown}"
VERSION="$(cd "$REPO" && "$PYTHON" -c 'import sora2_desktop; print(sora2_desktop.__version__)')"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
RPM_ARCH="$(uname -m)"
case "$(uname -m)" in x86_64) APPIMAGE_ARCH=x86_64 ;; aarch64) APPIMAGE_ARCH=aarch64 ;; *) APPIMAGE_ARCH="$(uname -m)" ;; esac
BUNDLE="$OUT/dist/sora2-desktop"

# The newest glibc the bundle may need (see --help); "host" is this machine's, said out loud: such a bundle does
# not start on Rocky/RHEL 9.
GLIBC_FLOOR="${GLIBC_FLOOR:-2.34}"
if [ "$GLIBC_FLOOR" = host ]; then
  GLIBC_FLOOR="$(getconf GNU_LIBC_VERSION | awk '{print $2}')"
  log "glibc floor: $GLIBC_FLOOR, this machine's own (GLIBC_FLOOR=host): a local build, not for Rocky/RHEL 9 (2.34)"
else
  log "glibc floor: $GLIBC_FLOOR"
fi
# glibc_needed: prints the newest GLIBC_ version the bundle needs; fails past the floor, naming the files.
glibc_needed() {
  "$REPO/packaging/linux/glibc_floor.sh" "$GLIBC_FLOOR" "$BUNDLE" || {
    log "the bundle needs a newer glibc than $GLIBC_FLOOR (above): build it on an older system (the hosted CI's"
    log "manylinux_2_34 container), or, for a local build only, set GLIBC_FLOOR=host"
    return 1
  }
}

if want bundle; then
  "$PYTHON" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))' \
    || { log "Python 3.11-3.13 is required (found $("$PYTHON" --version))"; exit 1; }
  # PyInstaller embeds libpython; manylinux's /opt/python interpreters are built without one (--disable-shared).
  "$PYTHON" -c 'import sys, sysconfig; sys.exit(not sysconfig.get_config_var("Py_ENABLE_SHARED"))' || {
    log "$PYTHON has no shared libpython, which PyInstaller needs (manylinux's /opt/python ones are static):"
    log "use the system's, e.g. on AlmaLinux/Rocky 9: dnf install python3.11 python3.11-devel; --python python3.11"
    exit 1
  }

  # -- 1. build venv -----------------------------------------------------------------------------------------------
  # The app's runtime dependencies and PyInstaller, installed only from the hash-checked locks (a release changed
  # or added on PyPI after the lock was made cannot reach a build); the app's own code is analysed straight from the
  # checkout (the spec's pathex), so nothing is built or written inside the checkout, and no `pip install .` is
  # needed. pip is not upgraded: that would fetch an unpinned pip; the venv's own pip checks hashes and markers.
  VENV="${VENV:-$OUT/venv}"
  stamp="$VENV/.built-$(cat "$REPO/packaging/requirements-lock.txt" "$REPO/packaging/requirements-build-lock.txt" \
    | sha1sum | cut -c1-12)"
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

  # -- 2. bundle (+ THIRD_PARTY_LICENSES.txt, sbom.cdx.json) -------------------------------------------------------
  log "bundling with PyInstaller (about a minute), commit $SORA2_BUILD_COMMIT"
  rm -f "$OUT/THIRD_PARTY_LICENSES.txt" "$OUT/sbom.cdx.json"
  (cd "$OUT" && SORA2_THIRD_PARTY_OUT="$OUT" "$VENV/bin/python" -m PyInstaller --noconfirm --clean \
    --log-level WARN --distpath "$OUT/dist" --workpath "$OUT/pyinstaller" "$REPO/packaging/sora2-desktop.spec")
  [ -x "$BUNDLE/sora2-desktop" ] || { log "PyInstaller made no $BUNDLE/sora2-desktop"; exit 1; }
  for f in "$OUT/THIRD_PARTY_LICENSES.txt" "$OUT/sbom.cdx.json" "$BUNDLE/_internal/sora2_desktop/_build_commit.txt" \
    "$BUNDLE/_internal/resources/licences/THIRD_PARTY_LICENSES.txt"; do
    [ -s "$f" ] || { log "the spec made no $f"; exit 1; }
  done
  # Every library a bundled file links to must be in the bundle or on every desktop (packaging/linux/depends.txt).
  missing="$(find "$BUNDLE" -type f \( -name '*.so*' -o -name sora2-desktop \) -print0 \
    | LD_LIBRARY_PATH="$BUNDLE/_internal:$BUNDLE/_internal/PySide6/Qt/lib" xargs -0 ldd 2>/dev/null \
    | grep 'not found' | awk '{print $1}' | sort -u || true)"
  if [ -n "$missing" ]; then
    log "the bundle links to libraries this machine lacks, so they are not bundled: $(echo "$missing" | tr '\n' ' ')"
    log "install their packages (see RUNTIME_DEBS / RUNTIME_RPMS in this script) and build again"
    exit 1
  fi
  # -- 3. glibc floor ----------------------------------------------------------------------------------------------
  needed="$(glibc_needed)"
  log "the bundle needs glibc $needed or newer"
fi

if ! want package; then
  log "done in $(( $(date +%s) - STARTED )) s"
  echo "built: $BUNDLE $(human "$(du -sb "$BUNDLE" | cut -f1)") (bundle, unpacked)"
  exit 0
fi
[ -x "$BUNDLE/sora2-desktop" ] || { log "no bundle in $BUNDLE: run --stage bundle first"; exit 1; }
GLIBC_NEEDED="$(glibc_needed)"

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
# system_packages COLUMN: packaging/linux/depends.txt's Debian (1) or RHEL/Fedora (2) names, once each, ", "-joined
system_packages() {
  awk -v col="$1" '!/^[[:space:]]*(#|$)/ && !seen[$col]++ { printf "%s%s", (n++ ? ", " : ""), $col }' \
    "$REPO/packaging/linux/depends.txt"
}

# -- 4. .deb -------------------------------------------------------------------------------------------------------
log "making the .deb"
DEBROOT="$OUT/deb-root"
rm -rf "$DEBROOT"
mkdir -p "$DEBROOT/usr/lib" "$DEBROOT/usr/bin" "$DEBROOT/DEBIAN" "$DEBROOT/usr/share/doc/sora2-desktop"
cp -a "$BUNDLE" "$DEBROOT/usr/lib/sora2-desktop"
ln -s ../lib/sora2-desktop/sora2-desktop "$DEBROOT/usr/bin/sora2-desktop"
install_desktop_files "$DEBROOT"
cat > "$DEBROOT/usr/share/doc/sora2-desktop/copyright" <<'COPYRIGHT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: sora2-desktop

Files: *
License: MIT
Comment: The bundle in /usr/lib/sora2-desktop also carries CPython (PSF License), Qt 6 and PySide6 (LGPL-3.0),
 FFmpeg (LGPL-2.1+), httpx, keyring, qasync, minio and OpenTimelineIO, each under its own license: see
 /usr/lib/sora2-desktop/_internal/resources/licences/ (THIRD_PARTY_LICENSES.txt, QT_LGPL_NOTICE.txt).
COPYRIGHT
depends="libc6 (>= $GLIBC_NEEDED), $(system_packages 1)"
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

# -- 5. .rpm -------------------------------------------------------------------------------------------------------
# The files staged for the .deb (packaging/linux/rpm.spec.in copies them); Requires: glibc at the version the .deb's
# libc6 names, and the RHEL/Fedora names of the .deb's other dependencies.
log "making the .rpm"
RPMTOP="$OUT/rpmbuild"
rm -rf "$RPMTOP"
mkdir -p "$RPMTOP/SPECS"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$RPM_ARCH/" -e "s|@STAGE@|$DEBROOT|g" \
  -e "s/@REQUIRES@/glibc >= $GLIBC_NEEDED, $(system_packages 2)/" -e "s/@APPSTREAM_ID@/$APPSTREAM_ID/" \
  "$REPO/packaging/linux/rpm.spec.in" > "$RPMTOP/SPECS/sora2-desktop.spec"
rm -f "$OUT"/sora2-desktop-*.rpm
# --nodeps: the build needs nothing from rpm's own database (empty on Debian); --target: the bundle's arch.
rpmbuild -bb --quiet --nodeps --target "$RPM_ARCH" --define "_topdir $RPMTOP" \
  --define "_rpmfilename %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm" "$RPMTOP/SPECS/sora2-desktop.spec" >&2
RPM="$OUT/sora2-desktop-$VERSION-1.$RPM_ARCH.rpm"
mv "$RPMTOP/RPMS/${RPM##*/}" "$RPM"
rm -rf "$RPMTOP"

# -- 6. AppDir -----------------------------------------------------------------------------------------------------
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

# -- 7. AppImage ---------------------------------------------------------------------------------------------------
APPIMAGE=""
rm -f "$OUT"/Sora_2_Desktop-*.AppImage
if [ "$WANT_APPIMAGE" = 1 ]; then
  tool="${APPIMAGETOOL:-$(command -v appimagetool || command -v "appimagetool-$APPIMAGE_ARCH.AppImage" || true)}"
  if [ -n "$tool" ]; then
    log "making the AppImage with $tool"
    APPIMAGE="$OUT/Sora_2_Desktop-$VERSION-$APPIMAGE_ARCH.AppImage"
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

# -- 8. SHA256SUMS -------------------------------------------------------------------------------------------------
# Every file a person downloads, by name (checked from the folder they sit in): the installers, and the SBOM and the
# licences, which are here when the bundle stage ran with this DIR (the hosted CI carries them over with the bundle).
artefacts=()
for f in "$DEB" "$RPM" "$APPIMAGE" "$OUT/sbom.cdx.json" "$OUT/THIRD_PARTY_LICENSES.txt"; do
  if [ -n "$f" ] && [ -f "$f" ]; then artefacts+=("${f##*/}"); fi
done
(cd "$OUT" && sha256sum -- "${artefacts[@]}" > SHA256SUMS)

log "done in $(( $(date +%s) - STARTED )) s"
if want bundle; then echo "built: $BUNDLE $(human "$(du -sb "$BUNDLE" | cut -f1)") (bundle, unpacked)"; fi
echo "built: $DEB $(human "$(stat -c %s "$DEB")")"
echo "built: $RPM $(human "$(stat -c %s "$RPM")")"
echo "built: $APPDIR/AppRun (AppDir)"
[ -z "$APPIMAGE" ] || echo "built: $APPIMAGE $(human "$(stat -c %s "$APPIMAGE")")"
echo "built: $OUT/SHA256SUMS (${#artefacts[@]} files)"
