#!/usr/bin/env python3
"""The live web page in a real headless Chromium: loads http://HOST:PORT/?token=…&pair=…, waits until
the page shows a best bid and ask, and prints what it shows as one JSON line:

    {"elapsed_ms": 412, "bid": "67321.1", "ask": "67321.2", "timestamp": "…", "received_at": "…",
     "spread": "0.1", "mid": "67321.15", "ladder_rows": 20, "gap_banner": false}

`elapsed_ms` runs from the start of the page load to the first best bid/ask on screen. With
--screenshot PATH it waits --settle seconds more (the chart fills) and saves a PNG. Exits 1 when the
page shows nothing within --timeout seconds, 2 when selenium or Chromium is missing (the CI installs
them: Debian chromium + chromium-driver, selenium from pip).

    python3 scripts/live_page_check.py --url 'http://127.0.0.1:8800/?token=…&pair=BTC-USD'
"""
import argparse
import json
import shutil
import sys
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError as error:
    print(f"the live page check needs selenium (pip install selenium): {error}", file=sys.stderr)
    sys.exit(2)


def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        print("the live page check needs Debian's chromium and chromium-driver", file=sys.stderr)
        sys.exit(2)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)


# One JavaScript call reads everything at once: the page re-renders every 50 ms, so separate
# WebDriver reads could mix two books.
SHOWN = """
const bid = document.getElementById("best-bid"), text = (id) => document.getElementById(id).textContent;
return {bid: bid.textContent, ask: text("best-ask"), timestamp: bid.dataset.timestamp || null,
        received_at: bid.dataset.receivedAt || null, spread: text("spread"), mid: text("mid"),
        ladder_rows: document.querySelectorAll("#ladder tbody tr").length,
        gap_banner: !document.getElementById("gap-banner").hidden};
"""


def shown(page):
    return page.execute_script(SHOWN)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--screenshot")
    parser.add_argument("--settle", type=float, default=0)
    arguments = parser.parse_args()
    page = browser()
    try:
        started = time.monotonic()
        page.get(arguments.url)
        while True:
            result = shown(page)
            if result["bid"] not in ("", "–") and result["ask"] not in ("", "–") and result["timestamp"]:
                break
            if time.monotonic() - started > arguments.timeout:
                print(f"the page showed no best bid/ask within {arguments.timeout} s", file=sys.stderr)
                return 1
            time.sleep(0.02)
        result["elapsed_ms"] = round((time.monotonic() - started) * 1000)
        if arguments.screenshot:
            time.sleep(arguments.settle)
            page.save_screenshot(arguments.screenshot)
        print(json.dumps(result))
        return 0
    finally:
        page.quit()


if __name__ == "__main__":
    sys.exit(main())
