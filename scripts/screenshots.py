"""README screenshots of one page in the display modes: default, 200 % text, contrast.

Serves the app on 127.0.0.1 (a free port), opens headless Debian Chromium, sets the display
cookie as a visitor's "Größer"/"Kontrast" would, and writes docs/screenshots/*.png.
Run with ``make screenshots``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import LiveServer, make_app, new_chromium, quit_chromium  # noqa: E402
from webapp.display import COOKIE  # noqa: E402

PAGE = "/hilfen"
OUT = ROOT / "docs" / "screenshots"
#: file name → value of the display cookie (None: no cookie, the default view)
SHOTS = {
    "standard.png": None,
    "groesse-200.png": "200-normal",
    "kontrast.png": "100-kontrast",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    server = LiveServer(make_app(TESTING=False)).start()
    driver = new_chromium(width=1280, height=1200)
    try:
        driver.get(server.url + "/robots.txt")
        for name, value in SHOTS.items():
            driver.delete_cookie(COOKIE)
            if value:
                driver.add_cookie({"name": COOKIE, "value": value, "path": "/"})
            driver.get(server.url + PAGE)
            driver.save_screenshot(str(OUT / name))
            print(f"docs/screenshots/{name}")
    finally:
        quit_chromium(driver)
        server.stop()


if __name__ == "__main__":
    main()
