"""``make docs`` screenshots (analysis.reports.screenshots), without a browser: the
offline flags, which browser is used, which pages are shot, the command a shot runs
(a stand-in script plays Chromium) and the refusal when the reports do not build."""

from __future__ import annotations

import os
import stat

import pytest

from analysis.core import paths
from analysis.reports import build, screenshots


def test_the_browser_runs_headless_and_offline():
    flags = screenshots.NO_NETWORK_FLAGS
    assert "--headless" in flags and "--no-sandbox" in flags
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in flags  # every host resolves to nothing
    assert "--proxy-server=127.0.0.1:9" in flags  # and every proxied request goes to the discard port
    assert screenshots.OFFLINE_FLAGS[: len(flags)] == flags
    assert screenshots.OFFLINE_FLAGS[len(flags) :] == ["--hide-scrollbars", "--virtual-time-budget=5000", "--force-device-scale-factor=1"]


@pytest.mark.parametrize(
    ("installed", "found"),
    [
        ({"chromium": "/usr/bin/chromium", "google-chrome": "/opt/chrome"}, "/usr/bin/chromium"),
        ({"chromium-browser": "/usr/bin/chromium-browser", "google-chrome": "/opt/chrome"}, "/usr/bin/chromium-browser"),
        ({"google-chrome": "/opt/chrome"}, "/opt/chrome"),
        ({}, None),
    ],
    ids=["chromium first", "then chromium-browser", "then google-chrome", "none"],
)
def test_chromium_is_looked_for_by_its_usual_names(installed, found, monkeypatch):
    monkeypatch.setattr(screenshots.shutil, "which", installed.get)
    assert screenshots.chromium() == found


def test_the_pages_shot_are_the_index_and_each_central_report(tmp_path):
    stems = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    chosen = screenshots.pages(tmp_path)
    assert list(chosen) == ["index", *stems]
    assert chosen["index"] == tmp_path / "index.html"
    assert all(chosen[stem] == tmp_path / "central" / f"{stem}.html" for stem in stems)


def test_a_screenshot_without_chromium_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(screenshots, "chromium", lambda: None)
    with pytest.raises(RuntimeError, match=r"Chromium not found \(Debian package 'chromium'\)"):
        screenshots.screenshot(tmp_path / "index.html", tmp_path / "shots" / "index.png")
    assert not (tmp_path / "shots").exists()


def test_a_screenshot_runs_the_browser_offline_at_the_size_asked_and_moves_the_png(tmp_path, monkeypatch):
    log = tmp_path / "args.txt"
    browser = tmp_path / "fake-chromium"
    # Plays Chromium: records its arguments, writes the --screenshot file.
    browser.write_text(
        "#!/bin/sh\n"
        f'for arg in "$@"; do echo "$arg" >> "{log}"; done\n'
        'for arg in "$@"; do case "$arg" in --screenshot=*) printf PNG > "${arg#--screenshot=}";; esac; done\n',
        encoding="utf-8",
    )
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(screenshots, "chromium", lambda: str(browser))
    page = tmp_path / "reports" / "index.html"
    target = tmp_path / "docs" / "screenshots" / "index.png"
    assert screenshots.screenshot(page, target, width=800, height=600) == target
    assert target.read_bytes() == b"PNG"
    args = log.read_text(encoding="utf-8").splitlines()
    assert args[: len(screenshots.OFFLINE_FLAGS)] == screenshots.OFFLINE_FLAGS
    rest = args[len(screenshots.OFFLINE_FLAGS) :]
    assert rest[0].startswith("--user-data-dir=") and rest[1] == "--window-size=800,600"
    assert rest[2].startswith("--screenshot=") and rest[2].endswith("/shot.png")
    assert rest[3] == page.resolve().as_uri() == f"file://{page.resolve()}"
    profile = rest[0].removeprefix("--user-data-dir=")
    assert not os.path.exists(profile)  # the temporary profile is gone


def test_no_screenshot_is_taken_when_the_reports_do_not_all_build(tmp_path, monkeypatch):
    taken = []
    monkeypatch.setattr(build, "build_reports", lambda output_dir: 1)
    monkeypatch.setattr(screenshots, "screenshot", lambda page, target: taken.append(target))
    with pytest.raises(RuntimeError, match="the reports did not all build; no screenshots taken"):
        screenshots.write_screenshots(tmp_path / "reports", tmp_path / "shots")
    assert taken == []


def test_write_screenshots_shoots_every_page_and_says_so(tmp_path, monkeypatch, capsys):
    built = []
    monkeypatch.setattr(build, "build_reports", lambda output_dir: built.append(output_dir) or 0)

    def shoot(page, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.name.encode())
        return target

    monkeypatch.setattr(screenshots, "screenshot", shoot)
    written = screenshots.write_screenshots(tmp_path / "reports", tmp_path / "shots")
    assert built == [tmp_path / "reports"]
    names = list(screenshots.pages(tmp_path / "reports"))
    assert written == [tmp_path / "shots" / f"{name}.png" for name in names]
    assert (tmp_path / "shots" / "index.png").read_bytes() == b"index.html"
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {tmp_path / 'shots' / name}.png" for name in names
    ]  # outside the project: in full
