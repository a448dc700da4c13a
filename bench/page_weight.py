"""Page weight of every public page type on a first visit, measured in headless Chromium: bytes
transferred (HTML, CSS, fonts, images, scripts; as sent, compressed or not), requests, and the hosts
asked. usage: python -m bench.page_weight BASE_URL [--write docs/performance.md]

Issue 7's budget: at most 150 KB and 15 requests per page, no host but the site's own."""

import argparse
import datetime
import os
import platform
from pathlib import Path
from urllib.parse import urlsplit

from movement import public_pages

from .report import write_section

BUDGET_BYTES = 150 * 1024
BUDGET_REQUESTS = 15
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = [*public_pages.PAGES, *public_pages.SIGNUP_PAGES]


def measure(browser, url: str, viewport: dict | None = None) -> dict:
    """Load `url` in a fresh context (empty cache, as a first visit) and return
    {"url", "bytes": transferred, "requests": count, "hosts": {host, ...}}; data: URLs don't count."""
    context = browser.new_context(viewport=viewport or {"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    requested, transferred = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: requested.setdefault(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: transferred.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    context.close()
    network = {rid: u for rid, u in requested.items() if not u.startswith("data:")}
    return {
        "url": url,
        "bytes": sum(transferred.get(rid, 0) for rid in network),
        "requests": len(network),
        "hosts": {urlsplit(u).netloc for u in network.values()},
    }


def table(rows: list[dict], base: str) -> str:
    lines = ["| page | KB transferred | requests | other hosts |", "| --- | ---: | ---: | --- |"]
    for row in rows:
        others = sorted(row["hosts"] - {urlsplit(base).netloc}) or ["none"]
        path = row["url"][len(base) :]
        lines.append(f"| `{path}` | {row['bytes'] / 1024:.1f} | {row['requests']} | {', '.join(others)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the running site, e.g. http://127.0.0.1:8000")
    parser.add_argument("--write", type=Path, help="put the table in this Markdown file")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        rows = [measure(browser, base + path.format(lang=lang)) for lang in ("en", "es") for path in PAGES]
        browser.close()
    over = [r["url"] for r in rows if r["bytes"] > BUDGET_BYTES or r["requests"] > BUDGET_REQUESTS]
    text = (
        f"Measured {datetime.date.today():%Y-%m-%d} on {platform.node()} with "
        f"`python -m bench.page_weight {base}` (Chromium {browser.version}, 360 px wide, empty cache). "
        f"Budget: {BUDGET_BYTES // 1024} KB and {BUDGET_REQUESTS} requests per page, no other host. "
        f"Largest: {max(r['bytes'] for r in rows) / 1024:.1f} KB; most requests: {max(r['requests'] for r in rows)}."
        f"{' Over budget: ' + ', '.join(over) if over else ' Every page is within budget.'}\n\n" + table(rows, base)
    )
    print(text)
    if args.write:
        write_section(args.write, "page-weight", text)


if __name__ == "__main__":
    main()
