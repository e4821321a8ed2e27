"""Bundle benchmark: size of the Linux release and the bundled app's first window.

Measures an existing build (packaging/linux/build.sh writes out/): the one-folder bundle on
disk, the .tar.xz and .deb as shipped, and process start to main window shown for the bundled
`govdesk gui --exit-when-loaded` (offscreen, and on Xvfb when installed). The reference, in the
same run, is the same measurement for the source checkout's `.venv/bin/govdesk`.

Targets (installers issue): compressed Linux bundle at most 90 MB; first window within 1.5 s.

    .venv/bin/python benchmarks/bench_bundle.py [--out out] [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

# Run as a script, so its folder is on sys.path.
from bench_startup import run_once, xvfb_display

ROOT = Path(__file__).resolve().parents[1]
TARGET_COMPRESSED_MB = 90.0
TARGET_SHOWN_S = 1.5
MB = 1_000_000  # decimal megabytes: the stricter reading of the target


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / MB


def sizes(out: Path) -> dict[str, float]:
    tarball = next(out.glob("govdesk-*-linux-*.tar.xz"))
    deb = next(out.glob("govdesk_*.deb"))
    return {
        "bundle_mb": round(folder_mb(out / "dist/govdesk"), 1),
        "tar_xz_mb": round(tarball.stat().st_size / MB, 1),
        "deb_mb": round(deb.stat().st_size / MB, 1),
    }


def first_window(exe: Path, platform: str, display: str | None, runs: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    env["QT_QPA_PLATFORM"] = platform
    if display:
        env["DISPLAY"] = display
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(exe), "gui", "--no-devnet", "--data-dir", f"{tmp}/data",
               "--config-dir", f"{tmp}/cfg", "--exit-when-loaded"]  # fmt: skip
        run_once(cmd, env)  # warm the page cache: a fresh install is read from disk once
        shown = [run_once(cmd, env)["shown_s"] for _ in range(runs)]
    return round(statistics.median(shown), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="build output folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bundled = args.out / "dist/govdesk/govdesk"
    source = Path(sys.executable).with_name("govdesk")
    found = sizes(args.out)
    result: dict[str, object] = {**found, "runs": args.runs}
    bundle_shown = []
    with xvfb_display() as display:
        platforms = [("offscreen", None)] + ([("xcb", display)] if display else [])
        for platform, disp in platforms:
            bundle_shown.append(first_window(bundled, platform, disp, args.runs))
            result[f"bundle_shown_s_{platform}"] = bundle_shown[-1]
            result[f"source_shown_s_{platform}"] = first_window(source, platform, disp, args.runs)
    result["meets_size_target"] = found["tar_xz_mb"] <= TARGET_COMPRESSED_MB
    result["meets_shown_target"] = max(bundle_shown) <= TARGET_SHOWN_S
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{'measure':<28}{'value':>10}  target")
    for key, value in result.items():
        target = {"tar_xz_mb": f"<= {TARGET_COMPRESSED_MB:.0f} MB"}.get(key, "")
        if key.startswith("bundle_shown_s"):
            target = f"<= {TARGET_SHOWN_S} s"
        print(f"{key:<28}{value!s:>10}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
