#!/usr/bin/env bash
# Builds "Sora 2 Desktop.app" and its .dmg on macOS 13+ (Apple silicon or Intel: the build machine's architecture),
# signs and notarises them when the credentials are given:
#
#   packaging/macos/build_macos.sh [--out DIR] [--python PYTHON]
#
#   1. a fresh build venv (DIR/venv): the app's runtime dependencies and PyInstaller, exactly as locked with hashes
#      in packaging/requirements-lock.txt and requirements-build-lock.txt (pip --require-hashes)
#   2. the .app: PyInstaller with packaging/sora2-desktop.spec (Info.plist fields from packaging/macos/Info.plist)
#   3. signing, inside out, with the hardened runtime and packaging/macos/entitlements.plist:
#        MACOS_SIGN_IDENTITY   e.g. "Developer ID Application: Your Name (TEAMID)"; unset: ad-hoc signature ("-"),
#                              which runs on this Mac but is refused by Gatekeeper elsewhere
#        MACOS_CERTIFICATE_P12_BASE64 + MACOS_CERTIFICATE_PASSWORD (optional, for CI): the Developer ID certificate
#                              as a base64 .p12, imported into a temporary keychain first
#   4. a smoke test: the signed app's --self-test on a temporary profile
#   5. the .dmg (hdiutil, UDZO): the app and a link to /Applications      -> DIR/Sora2Desktop-<version>.dmg
#   6. notarisation and stapling of the .dmg, when either is set:
#        MACOS_NOTARY_PROFILE  a `xcrun notarytool store-credentials` profile name, or
#        APPLE_ID + APPLE_TEAM_ID + APPLE_APP_PASSWORD (an app-specific password of that Apple ID)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$REPO/build/macos"
PYTHON="${PYTHON:-python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build_macos.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
log() { printf '\033[1m[build_macos]\033[0m %s\n' "$*" >&2; }
STARTED=$(date +%s)
[ "$(uname)" = Darwin ] || { log "this builds on macOS only"; exit 1; }

# -- 1. build venv
VENV="$OUT/venv"
[ -x "$VENV/bin/python" ] || { log "making a fresh build venv in $VENV"; "$PYTHON" -m venv "$VENV"; }
# Only the hash-checked locks (no unpinned pip upgrade): a release changed on PyPI cannot reach a build. The app's
# own code is analysed from the checkout (the spec's pathex), so it is not installed.
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$REPO/packaging/requirements-lock.txt"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
  -r "$REPO/packaging/requirements-build-lock.txt"
VERSION="$(cd "$REPO" && "$VENV/bin/python" -c 'import sora2_desktop; print(sora2_desktop.__version__)')"

# -- 2. the .app
log "bundling with PyInstaller"
(cd "$OUT" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/pyinstaller" "$REPO/packaging/sora2-desktop.spec")
APP="$OUT/dist/Sora 2 Desktop.app"
[ -x "$APP/Contents/MacOS/sora2-desktop" ] || { log "PyInstaller made no $APP"; exit 1; }

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
  # shellcheck disable=SC2046
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

# -- 4. smoke test
profile="$(mktemp -d)"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/sora2-desktop" --self-test --profile "$profile"
rm -rf "$profile"

# -- 5. the .dmg
log "making the .dmg"
DMG="$OUT/Sora2Desktop-$VERSION.dmg"
stage="$OUT/dmg-stage"
rm -rf "$stage" "$DMG"
mkdir -p "$stage"
ditto "$APP" "$stage/Sora 2 Desktop.app"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Sora 2 Desktop" -srcfolder "$stage" -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$DMG" >/dev/null
rm -rf "$stage"
[ "$IDENTITY" = "-" ] || codesign --force --sign "$IDENTITY" --timestamp "$DMG"

# -- 6. notarisation
notary=()
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  notary=(--keychain-profile "$MACOS_NOTARY_PROFILE")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  notary=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
fi
if [ ${#notary[@]} -gt 0 ]; then
  [ "$IDENTITY" != "-" ] || { log "notarisation needs a Developer ID signature: set MACOS_SIGN_IDENTITY"; exit 1; }
  log "notarising (Apple's service usually answers within minutes)"
  xcrun notarytool submit "$DMG" "${notary[@]}" --wait
  xcrun stapler staple "$DMG"
  xcrun stapler validate "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
else
  log "not notarised (no MACOS_NOTARY_PROFILE or APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD)"
fi

log "done in $(( $(date +%s) - STARTED )) s"
echo "built: $APP $(du -sh "$APP" | cut -f1) (app, unpacked)"
echo "built: $DMG $(du -h "$DMG" | cut -f1)"
