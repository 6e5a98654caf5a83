"""README screenshots: the start page and an event page, on a desktop and a 375 px phone, in
the default view, with 200 % text and in Kontrast, in German and Leichte Sprache.

Serves the app on 127.0.0.1 (a free port), opens headless Debian Chromium, sets the display
cookie as a visitor's "Größer"/"Kontrast" would, and writes docs/screenshots/*.png (the
first screen of each page). Run with ``make screenshots``; ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import LiveServer, make_app, new_chromium, quit_chromium  # noqa: E402
from webapp.display import COOKIE  # noqa: E402

#: name → path, per language prefix
PAGES = {
    "start": "/",
    "veranstaltung": "/veranstaltungen/sozialkonferenz-ruhr-2019",
}
LANGUAGES = {"de": "", "ls": "/leichte-sprache"}
#: name → value of the display cookie (None: no cookie, the default view)
MODES = {"standard": None, "groesse-200": "200-normal", "kontrast": "100-kontrast"}
#: name → (width, height) of the viewport in CSS pixels
SCREENS = {"desktop": (1280, 900), "phone": (375, 800)}


def set_viewport(driver, width: int, height: int) -> None:
    """An exact viewport (a headless window has a minimum width above 375 px)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = make_app(TESTING=False)
    server = LiveServer(app).start()
    driver = new_chromium(width=1280, height=900)
    try:
        driver.get(server.url + "/robots.txt")
        for screen, (width, height) in SCREENS.items():
            set_viewport(driver, width, height)
            for page, path in PAGES.items():
                for language, prefix in LANGUAGES.items():
                    for mode, value in MODES.items():
                        driver.delete_cookie(COOKIE)
                        if value:
                            driver.add_cookie({"name": COOKIE, "value": value, "path": "/"})
                        driver.get(server.url + prefix + path)
                        name = f"{page}-{language}-{screen}-{mode}.png"
                        driver.save_screenshot(str(out / name))
                        print(out / name)
    finally:
        quit_chromium(driver)
        server.stop()


if __name__ == "__main__":
    main()
