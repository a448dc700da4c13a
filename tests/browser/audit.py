"""What the accessibility checks look for, shared by the page audit and the journeys."""

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Every control and link shown must offer a 24 x 24 px target (WCAG 2.5.8, without the spacing
# exception: the honeypot field is hidden from everyone).
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
  .filter(el => el.offsetParent !== null && !el.closest('.hp'))
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([, box]) => box.width < 24 || box.height < 24)
  .map(([html, box]) => `${html} is ${Math.round(box.width)} x ${Math.round(box.height)}`)"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page, one line per element."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def problems(page) -> list[str]:
    """Everything the audit finds on the page as it is now: axe violations, sideways scrolling,
    small targets, scripts."""
    found = violations(page)
    if overflow := page.evaluate(OVERFLOW):
        found.append(f"scrolls {overflow} px sideways at {page.viewport_size['width']} px")
    found += page.evaluate(SMALL_TARGETS)
    if page.locator("script").count():
        found.append("has a script; no page needs one")
    return found
