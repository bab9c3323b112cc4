"""Headless Chromium for the site's tests and for the screenshots in docs/.

Debian's ``chromium`` and ``chromium-driver`` (``make install`` installs them): a browser
download is not possible everywhere credpath is tested, so Selenium is pointed at the
system's programs and never fetches its own.
"""

from __future__ import annotations

import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def available() -> bool:
    return BROWSER is not None and DRIVER is not None


def chromium(width: int = 1200, height: int = 1000) -> webdriver.Chrome:
    assert BROWSER is not None, "install chromium"
    assert DRIVER is not None, "install chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
        "--force-color-profile=srgb",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)
