"""``make docs``: screenshots of the real report pages for the README.

Builds the reports of every shipped scenario (incrementally, into
``reports/``), then opens the index and the central scenario's report of each
notebook in headless Chromium, offline (every host resolves to nothing), and
saves one PNG per page type under ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.core import paths

__all__ = ["NO_NETWORK_FLAGS", "OFFLINE_FLAGS", "SHOTS", "chromium", "pages", "screenshot", "write_screenshots"]

SHOTS = paths.PROJECT_ROOT / "docs" / "screenshots"
#: Headless and offline: every host resolves to nothing and every proxied request goes to a closed port
#: (also used by the browser test).
NO_NETWORK_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
OFFLINE_FLAGS = [
    *NO_NETWORK_FLAGS,
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
    "--force-device-scale-factor=1",
]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def screenshot(page: Path, target: Path, width: int = 1200, height: int = 1500) -> Path:
    """One PNG of the top ``height`` pixels of a page, through a temporary file."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("Chromium not found (Debian package 'chromium')")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="h200-shot-") as profile:
        tmp = Path(profile) / "shot.png"
        subprocess.run(
            [
                browser,
                *OFFLINE_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={tmp}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        os.replace(tmp, target) if tmp.stat().st_dev == target.parent.stat().st_dev else shutil.move(tmp, target)
    return target


def pages(output_dir: Path = paths.REPORTS) -> dict[str, Path]:
    """Screenshot name → page: the index and the central scenario's report of each notebook."""
    from analysis.reports.plan import discover_notebooks

    chosen = {"index": output_dir / "index.html"}
    for notebook in discover_notebooks(paths.NOTEBOOKS):
        chosen[notebook.stem] = output_dir / "central" / f"{notebook.stem}.html"
    return chosen


def write_screenshots(output_dir: Path = paths.REPORTS, shots: Path = SHOTS) -> list[Path]:
    from analysis.reports.build import build_reports

    if build_reports(output_dir=output_dir) != 0:
        raise RuntimeError("the reports did not all build; no screenshots taken")
    written = [screenshot(page, shots / f"{name}.png") for name, page in pages(output_dir).items()]
    for path in written:
        print(f"wrote {path.relative_to(paths.PROJECT_ROOT) if path.is_relative_to(paths.PROJECT_ROOT) else path}")
    return written
