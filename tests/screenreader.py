"""Hear the portal the way an Orca user does: GNOME's Orca screen reader (Debian package) reads a
real, non-headless Chromium through AT-SPI on a virtual X display (Xvfb), and every utterance is
written to a speech log. Keys are pressed with xdotool (through X, as a keyboard does, so Orca's
own commands work); Selenium only opens addresses and reads the page's state.

Built on the project's Orca harness (``/work/shared/tools/orca-harness.sh``, the same start-up,
Orca customisations and speech-dispatcher set-up). Debian packages: ``make screenreader``.

Environment: ``SCREENREADER_DISPLAY`` (X display, default ``:131``), ``ORCA_DEBUG=1`` (Orca's
own debug log in the work directory, to find out why Orca said what it said).

Orca's browse-mode keys: H heading, M landmark, E entry, Alt+Shift+M list of landmarks
(a dialog; Escape closes it), Insert+A browse/focus mode. The Orca modifier is Insert.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

#: Programs from Debian packages (``make screenreader`` installs them when missing).
ORCA = "/usr/bin/orca"
XVFB = "/usr/bin/Xvfb"
XDOTOOL = "/usr/bin/xdotool"
ATSPI_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

ORCA_CUSTOMIZATIONS = r"""
# Loaded by Orca from $XDG_DATA_HOME/orca/: a speech log, no key echo. Orca's defaults stay.
import logging, os
import orca.settings as _settings
_settings.enableKeyEcho = False
_settings.sayAllOnLoad = False   # a new page: title and summary only, then the keys
_fmt = logging.Formatter("%(asctime)s.%(msecs)03d %(name)s %(message)s", "%H:%M:%S")
_file = os.environ["ORCA_SPEECH_LOG"]
for _name in ("speech", "synth"):
    _l = logging.getLogger(_name)
    _l.setLevel(logging.INFO)
    if not any(isinstance(h, logging.FileHandler) for h in _l.handlers):
        _h = logging.FileHandler(_file)
        _h.setFormatter(_fmt)
        _l.addHandler(_h)
try:   # log each say-all text handed to speech-dispatcher (say all bypasses SPEECH OUTPUT)
    from orca import speechdispatcherfactory as _sdf
    _synth = logging.getLogger("synth")
    if not getattr(_sdf.SpeechServer._speak, "_harness", False):
        _orig_speak = _sdf.SpeechServer._speak
        def _speak(self, text, acss, **kwargs):
            if kwargs.get("callback"):
                _synth.info("SYNTH (say all) '%s'" % text)
            return _orig_speak(self, text, acss, **kwargs)
        _speak._harness = True
        _sdf.SpeechServer._speak = _speak
except Exception as _e:
    logging.getLogger("speech").info("HARNESS: could not wrap speech-dispatcher: %r" % _e)
"""

SPEECH_LINE = re.compile(r" speech SPEECH OUTPUT: '(.*)'$|synth SYNTH \(say all\) '(.*)'$")


def missing_packages() -> list[str]:
    """Programs and the locale the tests need that are missing (empty: ready)."""
    needed = [ORCA, XVFB, XDOTOOL, ATSPI_LAUNCHER, CHROMIUM, CHROMEDRIVER, "/usr/bin/dbus-launch"]
    missing = [path for path in needed if not os.path.exists(path)]
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    if "de_de.utf8" not in locales:
        missing.append("locale de_DE.UTF-8")
    return missing


class ScreenReader:
    """Xvfb, a D-Bus session, the AT-SPI bus, Orca (German) and Chromium, each started here and
    ended by its process group in :meth:`stop`."""

    def __init__(self, workdir: Path, display: str | None = None, lang: str = "de_DE.UTF-8"):
        self.dir = Path(workdir)
        self.display = display or os.environ.get("SCREENREADER_DISPLAY", ":131")
        self.lang = lang
        self.log = self.dir / "speech.log"
        self.transcript: list[str] = []
        self.procs: list[subprocess.Popen] = []
        self.dbus_pid: int | None = None
        self.driver = None
        self.env = dict(os.environ)

    # -- start and stop ---------------------------------------------------------------------
    def _spawn(self, args, name):
        with open(self.dir / f"{name}.log", "wb") as out:
            proc = subprocess.Popen(
                args, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append(proc)
        return proc

    def start(self):
        for sub in ("xdg", "data/orca", "config", "cache"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        (self.dir / "xdg").chmod(0o700)
        self.log.write_text("")
        (self.dir / "data/orca/orca-customizations.py").write_text(ORCA_CUSTOMIZATIONS)
        speechd = self.dir / "config/speech-dispatcher"
        shutil.copytree("/etc/speech-dispatcher", speechd, dirs_exist_ok=True)
        conf = speechd / "speechd.conf"
        text = conf.read_text()
        # ALSA's null device: no sound card needed, speech takes no time.
        text = re.sub(r"(?m)^# *AudioOutputMethod .*$", 'AudioOutputMethod "alsa"', text)
        text = re.sub(r"(?m)^# *AudioALSADevice .*$", 'AudioALSADevice "null"', text)
        conf.write_text(text)

        self.env.update(
            DISPLAY=self.display,
            XDG_RUNTIME_DIR=str(self.dir / "xdg"),
            XDG_DATA_HOME=str(self.dir / "data"),
            XDG_CONFIG_HOME=str(self.dir / "config"),
            XDG_CACHE_HOME=str(self.dir / "cache"),
            HOME=str(self.dir),
            LANG=self.lang,
            LANGUAGE=self.lang.split("_")[0],
            ORCA_SPEECH_LOG=str(self.log),
            ACCESSIBILITY_ENABLED="1",
        )
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        screen = ["-screen", "0", "1280x1024x24", "-nolisten", "tcp"]
        self._spawn([XVFB, self.display, *screen], "xvfb")
        self._wait(lambda: self._x_ready(), 15, "Xvfb")
        dbus = subprocess.run(
            ["dbus-launch", "--sh-syntax"], env=self.env, capture_output=True, text=True, check=True
        ).stdout
        for name, value in re.findall(r"(\w+)='?([^';\n]*)'?;", dbus):
            if name == "DBUS_SESSION_BUS_PID":
                self.dbus_pid = int(value)
            else:
                self.env[name] = value
        self._spawn([ATSPI_LAUNCHER, "--launch-immediately"], "atspi")
        time.sleep(1.5)
        debug = []
        if os.environ.get("ORCA_DEBUG"):  # Orca's own debug log, for finding out why
            debug = ["--debug-file", str(self.dir / "debug.out")]
        self._spawn([ORCA, *debug], "orca")
        self._wait(lambda: "SPEECH OUTPUT" in self.log.read_text(), 40, "Orca's first words")
        self._start_chromium()
        self._wait(lambda: "Chromium" in self.log.read_text(), 60, "Orca reading Chromium")
        self.settle(1.5, 15)
        return self

    def _x_ready(self) -> bool:
        return (
            subprocess.run(
                ["xdpyinfo", "-display", self.display], capture_output=True, env=self.env
            ).returncode
            == 0
        )

    def _start_chromium(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        profile = self.dir / "chrome-profile"
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (
            "--no-sandbox",
            "--force-renderer-accessibility",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--password-store=basic",
            "--disable-features=Translate,TranslateUI,MediaRouter",
            "--disable-background-networking",
            "--disable-sync",
            "--disable-component-update",
            "--disable-quic",
            "--lang=de",
            f"--user-data-dir={profile}",
            "--window-position=0,0",
            "--window-size=1280,1000",
        ):
            options.add_argument(flag)
        options.add_experimental_option("excludeSwitches", ["enable-automation"])
        options.add_experimental_option(
            "prefs",
            {
                "intl.accept_languages": "de-DE,de",
                "translate": {"enabled": False},
                # no "Save password?" bubble after an editor's login (Orca reads it out)
                "credentials_enable_service": False,
                "profile.password_manager_enabled": False,
            },
        )
        service = Service(CHROMEDRIVER, env=self.env, log_output=str(self.dir / "driver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)

    def stop(self):
        if self.driver is not None:
            with contextlib.suppress(Exception):  # ending anyway
                self.driver.quit()
            self.driver = None
        for proc in reversed(self.procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        # speech-dispatcher daemonizes itself: found by its pid file in our runtime directory.
        for pidfile in (self.dir / "xdg").glob("speech-dispatcher/pid/*.pid"):
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        if self.dbus_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.dbus_pid, signal.SIGTERM)
        self.procs = []

    # -- speech ----------------------------------------------------------------------------
    @staticmethod
    def _wait(check, seconds, what):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {seconds} s")

    def _lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()

    def mark(self) -> int:
        return len(self._lines())

    def said_since(self, mark: int) -> list[str]:
        out = []
        for line in self._lines()[mark:]:
            found = SPEECH_LINE.search(line)
            if found:
                out.append((found.group(1) or found.group(2) or "").strip())
        return out

    def settle(self, quiet: float = 1.0, maxwait: float = 10.0):
        """Wait until the speech log has been quiet for ``quiet`` seconds."""
        deadline = time.monotonic() + maxwait
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            size = self.log.stat().st_size
            if size != last:
                last, since = size, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.05)

    def wait_said(self, mark: int, pattern: str, seconds: float = 10.0) -> list[str]:
        """What was said since ``mark``, once a line matched ``pattern`` (regular expression)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            said = self.said_since(mark)
            if any(re.search(pattern, line) for line in said):
                return said
            time.sleep(0.1)
        return self.said_since(mark)

    def key(self, *keys: str, quiet: float = 0.8, maxwait: float = 10.0, expect: str = ""):
        """Press keys (xdotool names) and return what Orca said in answer."""
        mark = self.mark()
        self.transcript.append(">>> key " + " ".join(keys))
        for name in keys:
            subprocess.run([XDOTOOL, "key", "--clearmodifiers", name], env=self.env, check=True)
            time.sleep(0.15)
        if expect:
            self.wait_said(mark, expect, maxwait)
        self.settle(quiet, maxwait)
        said = self.said_since(mark)
        self.transcript.extend(said)
        return said

    def type(self, text: str, quiet: float = 0.8):
        mark = self.mark()
        self.transcript.append(">>> type " + text)
        subprocess.run([XDOTOOL, "type", "--delay", "40", text], env=self.env, check=True)
        self.settle(quiet, 10)
        said = self.said_since(mark)
        self.transcript.extend(said)
        return said

    def open(self, url: str, expect: str = "", quiet: float = 0.7) -> list[str]:
        """Load an address (Selenium), wait for htmx and for Orca to read the new page."""
        mark = self.mark()
        self.transcript.append(">>> open " + url)
        self.driver.get(url)
        self._wait(
            lambda: self.driver.execute_script("return !!(window.htmx && document.body)"),
            10,
            "htmx",
        )
        if expect:
            self.wait_said(mark, expect, 15)
        self.settle(quiet, 20)
        said = self.said_since(mark)
        self.transcript.extend(said)
        return said

    def focused(self) -> list[str]:
        return self.driver.execute_script(
            "var e = document.activeElement;"
            "return [e.tagName, e.id, (e.textContent || '').replace(/\\s+/g, ' ').trim()]"
        )
