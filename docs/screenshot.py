"""Screenshot of a review page in headless Chromium (Debian's chromium + chromium-driver).

summarise brief devset/labour_portside.txt -o /tmp/brief.html
python docs/screenshot.py /tmp/brief.html docs/review-page.png
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By


def main(page: str, png: str, width: int = 1200, height: int = 820) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(shutil.which("chromedriver")), options=options)
    try:
        driver.get(Path(page).resolve().as_uri())
        items = driver.find_elements(By.CSS_SELECTOR, "button.s-proposals")
        if items:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", items[0])
            items[0].click()
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(png)
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
