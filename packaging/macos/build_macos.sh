#!/usr/bin/env bash
# Builds "Sora 2 Desktop.app" and its .dmg for one Mac architecture on macOS 13+, signs, notarises and checks them
# when the credentials are given:
#
#   packaging/macos/build_macos.sh [--out DIR] [--python PYTHON] [--arch arm64|x86_64]
#
#   --arch   default: this machine's (uname -m). The build Python must run as that architecture: build x86_64 on an
#            Intel Mac, or on Apple silicon under Rosetta (`arch -x86_64 /bin/bash build_macos.sh --arch x86_64`).
#   1. a fresh build venv (DIR/venv): the app's runtime dependencies and PyInstaller, exactly as locked with hashes
#      in packaging/requirements-lock.txt and requirements-build-lock.txt (pip --require-hashes)
#   2. the .app: PyInstaller with packaging/sora2-desktop.spec (Info.plist fields from packaging/macos/Info.plist),
#      single-architecture (PyInstaller thins the universal2 Qt libraries to --arch)
#   3. signing, inside out, with the hardened runtime and packaging/macos/entitlements.plist:
#        MACOS_SIGN_IDENTITY   e.g. "Developer ID Application: Your Name (TEAMID)"; unset: ad-hoc signature ("-"),
#                              which runs on this Mac but is refused by Gatekeeper elsewhere
#        MACOS_CERTIFICATE_P12_BASE64 + MACOS_CERTIFICATE_PASSWORD (optional, for CI): the Developer ID certificate
#                              as a base64 .p12, imported into a temporary keychain first
#   4. a smoke test: the signed app's --self-test on a temporary profile (app line and player line both ok)
#   5. the .dmg (hdiutil, UDZO): the app and a link to /Applications  -> DIR/Sora2Desktop-<version>-macos-<arch>.dmg
#   6. notarisation, when either is set; the build FAILS unless Apple answers "Accepted" (Apple's log is printed),
#      then the ticket is stapled and checked (stapler validate, spctl on the .dmg and on the .app):
#        MACOS_NOTARY_PROFILE  a `xcrun notarytool store-credentials` profile name, or
#        APPLE_ID + APPLE_TEAM_ID + APPLE_APP_PASSWORD (an app-specific password of that Apple ID)
#   7. DIR/SHA256SUMS over the .dmg, DIR/sbom.cdx.json and DIR/THIRD_PARTY_LICENSES.txt (made by the spec)
# Tuning: HDIUTIL_TRIES (default 5) and HDIUTIL_RETRY_PAUSE (seconds, default 15) for hdiutil's "Resource busy".
#
# Why two native builds and not one universal2 .app: a universal2 bundle needs a universal2 wheel of every binary
# package, and the locked opentimelineio 0.18.1, argon2-cffi-bindings 26.2.0 and cffi 2.1.1 publish none (checked
# with `pip download --only-binary=:all: --platform macosx_15_0_universal2`); lipo-merging two venvs by hand is
# fragile. Each .dmg also carries one architecture of Qt, not both. opentimelineio and argon2-cffi-bindings publish
# no macOS x86_64 wheel either: on Intel, pip compiles them from their hash-locked sdists (needs the Xcode command
# line tools and CMake, both on the hosted runners).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$REPO/build/macos"
PYTHON="${PYTHON:-python3}"
ARCH=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    --arch) ARCH="$2"; shift 2 ;;
    -h|--help) sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build_macos.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
log() { printf '\033[1m[build_macos]\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
STARTED=$(date +%s)
[ "$(uname)" = Darwin ] || die "this builds on macOS only"
ARCH="${ARCH:-$(uname -m)}"
case "$ARCH" in arm64|x86_64) ;; *) die "--arch must be arm64 or x86_64, not '$ARCH'" ;; esac

# hdiutil fails now and then with "Resource busy" (Spotlight or an antivirus holding the image or the staging
# folder): that one error is retried after a pause; any other fails at once.
hdiutil_retry() {
  local tries="${HDIUTIL_TRIES:-5}" pause="${HDIUTIL_RETRY_PAUSE:-15}" attempt=1 output
  while true; do
    if output="$(hdiutil "$@" 2>&1)"; then
      [ -z "$output" ] || printf '%s\n' "$output" >&2
      return 0
    fi
    printf '%s\n' "$output" >&2
    if ! grep -q "Resource busy" <<<"$output"; then return 1; fi
    if [ "$attempt" -ge "$tries" ]; then log "hdiutil $1: still busy after $tries tries"; return 1; fi
    log "hdiutil $1: resource busy (try $attempt of $tries), again in ${pause} s"
    sleep "$pause"
    attempt=$((attempt + 1))
  done
}

# -- 1. build venv
VENV="$OUT/venv"
[ -x "$VENV/bin/python" ] || { log "making a fresh build venv in $VENV"; "$PYTHON" -m venv "$VENV"; }
VENV_ARCH="$("$VENV/bin/python" -c 'import platform; print(platform.machine())')"
[ "$VENV_ARCH" = "$ARCH" ] || die "the build Python runs as $VENV_ARCH, not $ARCH (see --help for Rosetta)"
# Only the hash-checked locks (no unpinned pip upgrade): a release changed on PyPI cannot reach a build. The app's
# own code is analysed from the checkout (the spec's pathex), so it is not installed.
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$REPO/packaging/requirements-lock.txt"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
  -r "$REPO/packaging/requirements-build-lock.txt"
VERSION="$(cd "$REPO" && "$VENV/bin/python" -c 'import sora2_desktop; print(sora2_desktop.__version__)')"

# -- 2. the .app; the spec also writes the build's commit into it, and the licence list and SBOM of the build venv
# (packaging/third_party.py) into DIR, beside the .dmg
log "bundling with PyInstaller ($ARCH)"
(cd "$OUT" && SORA2_THIRD_PARTY_OUT="$OUT" "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/pyinstaller" "$REPO/packaging/sora2-desktop.spec")
APP="$OUT/dist/Sora 2 Desktop.app"
EXE="$APP/Contents/MacOS/sora2-desktop"
[ -x "$EXE" ] || die "PyInstaller made no $APP"
[ "$(lipo -archs "$EXE")" = "$ARCH" ] || die "$EXE is '$(lipo -archs "$EXE")', not $ARCH"
for made in sbom.cdx.json THIRD_PARTY_LICENSES.txt; do
  [ -s "$OUT/$made" ] || die "the spec wrote no $OUT/$made (packaging/third_party.py)"
done

# -- 3. signing
IDENTITY="${MACOS_SIGN_IDENTITY:--}"
KEYCHAIN=""
cleanup() { [ -z "$KEYCHAIN" ] || security delete-keychain "$KEYCHAIN" 2>/dev/null || true; }
trap cleanup EXIT
if [ -n "${MACOS_CERTIFICATE_P12_BASE64:-}" ]; then
  log "importing the signing certificate into a temporary keychain"
  KEYCHAIN="$OUT/signing.keychain-db"
  kc_pass="$(uuidgen)"
  security create-keychain -p "$kc_pass" "$KEYCHAIN"
  security set-keychain-settings -lut 3600 "$KEYCHAIN"
  security unlock-keychain -p "$kc_pass" "$KEYCHAIN"
  echo "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$OUT/certificate.p12"
  security import "$OUT/certificate.p12" -k "$KEYCHAIN" -P "${MACOS_CERTIFICATE_PASSWORD:-}" -T /usr/bin/codesign
  rm -f "$OUT/certificate.p12"
  security set-key-partition-list -S apple-tool:,apple: -s -k "$kc_pass" "$KEYCHAIN" >/dev/null
  # shellcheck disable=SC2046  # one keychain path per word is what list-keychains -s takes
  security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
fi
sign() {
  local args=(--force --sign "$IDENTITY" --options runtime --entitlements "$REPO/packaging/macos/entitlements.plist")
  [ "$IDENTITY" = "-" ] || args+=(--timestamp)
  codesign "${args[@]}" "$@"
}
log "signing with identity '$IDENTITY' (hardened runtime)"
# Inside out: every Mach-O file (libraries, Qt plugins, extension modules, the executable), then the bundle itself.
while IFS= read -r -d '' f; do
  if file -b "$f" | grep -q 'Mach-O'; then sign "$f"; fi
done < <(find "$APP/Contents" -type f -print0)
# Qt's frameworks are nested bundles: each is sealed as a bundle too, deepest first, before the app.
while IFS= read -r -d '' d; do sign "$d"; done < <(find "$APP/Contents" -type d -name '*.framework' -print0 | sort -rz)
sign "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"

# -- 4. smoke test: both lines, the app's and the player's (a Mac always has AVFoundation, so no exit 3 here)
profile="$(mktemp -d)"
status=0
report="$(QT_QPA_PLATFORM=offscreen "$EXE" --self-test --profile "$profile")" || status=$?
rm -rf "$profile"
printf '%s\n' "$report"
[ "$status" -eq 0 ] || die "self-test exited $status"
grep -Eq '^self-test ok:' <<<"$report" || die "self-test: no 'self-test ok:' line"
grep -Eq '^self-test player: ok frame=[0-9]+x[0-9]+' <<<"$report" || die "self-test: the player decoded no frame"

# -- 5. the .dmg
log "making the .dmg"
DMG="$OUT/Sora2Desktop-$VERSION-macos-$ARCH.dmg"
stage="$OUT/dmg-stage"
rm -rf "$stage" "$DMG"
mkdir -p "$stage"
ditto "$APP" "$stage/Sora 2 Desktop.app"
ln -s /Applications "$stage/Applications"
hdiutil_retry create -volname "Sora 2 Desktop" -srcfolder "$stage" -fs HFS+ -format UDZO -imagekey zlib-level=9 \
  -ov "$DMG"
rm -rf "$stage"
hdiutil_retry verify "$DMG"
[ "$IDENTITY" = "-" ] || codesign --force --sign "$IDENTITY" --timestamp "$DMG"

# -- 6. notarisation
notary=()
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  notary=(--keychain-profile "$MACOS_NOTARY_PROFILE")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  notary=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
fi
# notarytool's JSON answer, one field of it; "" when absent or unreadable.
json_field() {
  "$VENV/bin/python" -c '
import json, sys
text = sys.stdin.read()
for candidate in [text] + [line for line in reversed(text.splitlines()) if line.lstrip().startswith("{")]:
    try:
        print(json.loads(candidate).get(sys.argv[1], ""))
        break
    except (ValueError, AttributeError):
        continue
' "$1"
}
if [ ${#notary[@]} -gt 0 ]; then
  [ "$IDENTITY" != "-" ] || die "notarisation needs a Developer ID signature: set MACOS_SIGN_IDENTITY"
  log "notarising (Apple's service usually answers within minutes)"
  # `submit --wait` exits 0 when Apple rejects the submission too: its status is what says whether it passed.
  answer="$(xcrun notarytool submit "$DMG" "${notary[@]}" --wait --output-format json)" || {
    printf '%s\n' "$answer" >&2; die "notarytool submit failed"; }
  printf '%s\n' "$answer"
  submission="$(json_field id <<<"$answer")"
  verdict="$(json_field status <<<"$answer")"
  if [ "$verdict" != "Accepted" ]; then
    log "notarisation: status '${verdict:-unknown}' (submission ${submission:-unknown}); Apple's log:"
    [ -z "$submission" ] || xcrun notarytool log "$submission" "${notary[@]}" || true
    die "notarisation was not accepted: the .dmg is not published"
  fi
  xcrun stapler staple "$DMG"
  xcrun stapler validate "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
  spctl --assess --type execute --verbose=2 "$APP"
else
  log "not notarised (no MACOS_NOTARY_PROFILE or APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD):" \
    "Gatekeeper refuses this .dmg on other Macs"
fi

# -- 7. checksums of what is published
(cd "$OUT" && shasum -a 256 "$(basename "$DMG")" sbom.cdx.json THIRD_PARTY_LICENSES.txt > SHA256SUMS)

log "done in $(( $(date +%s) - STARTED )) s"
echo "built: $APP $(du -sh "$APP" | cut -f1) (app, unpacked)"
echo "built: $DMG $(du -h "$DMG" | cut -f1)"
