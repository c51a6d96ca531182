"""The README's picture of the web page: docs/web.png, 1280 x 900, after the sample's comparison has loaded.

Starts ``procmap serve``'s app on a free loopback port, drives Debian's chromium (no request can
leave the machine) and saves the screenshot. Run from the repository root:

    python scripts/web_screenshot.py [docs/web.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from _web import STAGES, running  # noqa: E402

ARGS = ["--headless=new", "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def main(out: Path) -> None:
    with running() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.get_by_label("Språk", exact=True).select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_label("Choose stage files").set_input_files([str(s) for s in STAGES])
        expect(page.locator("#saved")).to_be_visible(timeout=60_000)
        page.get_by_label("Cases per year").fill("1000")  # typed while the answer to the files is on its way
        page.get_by_label("Hourly rate, every role").fill("700")
        page.keyboard.press("Tab")
        expect(page.locator('#saved td[data-col="money"]').first).to_be_visible(timeout=60_000)
        page.evaluate("document.activeElement.blur()")
        # The result from its heading down: key figures, the stages side by side, the tables.
        page.evaluate("window.scrollTo(0, document.getElementById('result').getBoundingClientRect().top"
                      " + window.scrollY - 8)")
        page.screenshot(path=str(out))
        browser.close()
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "web.png")
