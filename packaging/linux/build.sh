#!/usr/bin/env bash
# Build the Linux release: a PyInstaller one-folder bundle, then govdesk-VERSION-linux-ARCH.tar.xz
# and govdesk_VERSION_ARCH.deb, all under out/ (or $GOVDESK_OUT).
#
# The bundle is built from a separate virtualenv (out/build-venv) holding only govdesk's runtime
# dependencies and the `packaging` extra, so no dev or test tool can end up inside it. That venv
# is reused while pyproject.toml is unchanged; govdesk itself is reinstalled on every build.
#
#     bash packaging/linux/build.sh            # about 60 s once the build venv exists
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${GOVDESK_OUT:-$ROOT/out}"
PYTHON="${PYTHON:-python3}"
VENV="$OUT/build-venv"
log() { printf '[build] %s\n' "$*"; }

VERSION="$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
mkdir -p "$OUT"

build_venv() {
  local stamp="$VENV/.govdesk-deps" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "creating the build venv $VENV (runtime dependencies + packaging extra)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$ROOT[packaging]"
    echo "$want" > "$stamp"
  fi
  log "installing govdesk $VERSION from $ROOT into the build venv"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall "$ROOT"
}

build_bundle() {
  log "running PyInstaller"
  # From $OUT, so the checkout is not on sys.path: the analysis sees the installed govdesk only.
  (cd "$OUT" && "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/build" "$ROOT/packaging/govdesk.spec")
  # Debug info only (symbol tables stay). numpy's OpenBLAS breaks when stripped, and the
  # top-level symlinks point into numpy.libs, hence -type f.
  find "$OUT/dist/govdesk/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) \
    -not -path '*/numpy.libs/*' -exec strip --strip-debug {} +
}

build_tarball() {
  local name="govdesk-$VERSION" stage="$OUT/tar-stage"
  rm -rf "$stage" && mkdir -p "$stage/$name/share"
  cp -a "$OUT/dist/govdesk/." "$stage/$name/"
  cp "$ROOT/packaging/linux/govdesk.desktop" "$ROOT/resources/icons/govdesk.png" \
    "$ROOT/resources/icons/govdesk.svg" "$stage/$name/share/"
  # xz, not gzip: 65 MB instead of 89 MB for the same files (measured by bench_bundle), for
  # about a minute more on two cores; every tar and file manager reads it.
  rm -f "$OUT/$name-linux-$(uname -m)".tar.*
  tar -C "$stage" -cf - "$name" | xz -T0 -6 > "$OUT/$name-linux-$(uname -m).tar.xz"
  rm -rf "$stage"
  log "wrote $OUT/$name-linux-$(uname -m).tar.xz"
}

write_control() {
  local root="$1"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: govdesk
Version: $VERSION
Architecture: $ARCH
Maintainer: govdesk developers <govdesk@users.noreply.github.com>
Installed-Size: $(du -sk "$root/opt" | cut -f1)
Depends: libc6 (>= 2.31), libgl1, libegl1
Recommends: gnome-keyring | kwalletmanager
Section: utils
Priority: optional
Homepage: https://github.com/govdesk/govdesk
Description: desktop governance client for token holders
 Vote off-chain on Snapshot and on-chain on a Governor, and execute passed
 proposals through the timelock. Keys stay in the system keyring.
CONTROL
}

build_deb() {
  local root="$OUT/deb-root" icons
  rm -rf "$root" && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications"
  cp -a "$OUT/dist/govdesk" "$root/opt/govdesk"
  ln -s ../../opt/govdesk/govdesk "$root/usr/bin/govdesk"  # relative: works in any root
  install -m 644 "$ROOT/packaging/linux/govdesk.desktop" "$root/usr/share/applications/"
  icons="$root/usr/share/icons/hicolor"
  install -D -m 644 "$ROOT/resources/icons/govdesk.svg" "$icons/scalable/apps/govdesk.svg"
  install -D -m 644 "$ROOT/resources/icons/govdesk.png" "$icons/256x256/apps/govdesk.png"
  for size in 128 48 32; do
    install -D -m 644 "$ROOT/resources/icons/govdesk-$size.png" "$icons/${size}x${size}/apps/govdesk.png"
  done
  write_control "$root"
  # gzip: several times faster to build than xz for about the same size on this content.
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$OUT/govdesk_${VERSION}_${ARCH}.deb" >/dev/null
  rm -rf "$root"
  log "wrote $OUT/govdesk_${VERSION}_${ARCH}.deb"
}

build_venv
build_bundle
build_tarball
command -v dpkg-deb >/dev/null 2>&1 && build_deb || log "dpkg-deb not found: no .deb"
