#!/usr/bin/env bash
# Build the macOS release: govdesk.app (PyInstaller BUNDLE from packaging/govdesk.spec), signed,
# in a .dmg that is notarized and stapled. Run on macOS 12+ with Python 3.11 from python.org
# (universal2) or the runner's; signing needs Xcode command line tools.
#
#     bash packaging/macos/build.sh
#
# Signing and notarization run only when these are set (CI takes them from secrets):
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)", in the login/CI keychain
#   MACOS_NOTARY_PROFILE  a notarytool keychain profile, made once with
#                         xcrun notarytool store-credentials govdesk --apple-id … --team-id … --password <app-specific>
# Without them the .app and .dmg are built unsigned (Gatekeeper will refuse to open them by
# double-click; right-click > Open works for testing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${GOVDESK_OUT:-$ROOT/out}"
VENV="$OUT/build-venv"
PYTHON="${PYTHON:-python3}"
VERSION="$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
APP="$OUT/dist/govdesk.app"
DMG="$OUT/govdesk-$VERSION-macos-$(uname -m).dmg"
mkdir -p "$OUT"

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q "$ROOT[packaging]"
"$VENV/bin/python" -m pip install -q --no-deps --force-reinstall "$ROOT"
(cd "$OUT" && "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/build" "$ROOT/packaging/govdesk.spec")

# The same binary is the CLI: check the bundle before shipping it.
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/govdesk" --self-test

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # 1. Sign inside-out with the hardened runtime and a secure timestamp (notarization requires
  #    both). --deep is not enough for nested frameworks, so sign every Mach-O first, then the app.
  find "$APP/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
    xargs -0 -I{} codesign --force --timestamp --options runtime \
      --entitlements "$ROOT/packaging/macos/entitlements.plist" --sign "$MACOS_SIGN_IDENTITY" {}
  codesign --force --timestamp --options runtime \
    --entitlements "$ROOT/packaging/macos/entitlements.plist" --sign "$MACOS_SIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

# 2. The disk image: the app plus a link to /Applications for drag-to-install.
STAGE="$OUT/dmg-stage"
rm -rf "$STAGE" "$DMG" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "govdesk $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
rm -rf "$STAGE"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
fi
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  # 3. Notarize (Apple scans the image; takes minutes), then 4. staple the ticket so the app
  #    opens offline, and 5. check what Gatekeeper will say.
  xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
fi
echo "wrote $DMG"
