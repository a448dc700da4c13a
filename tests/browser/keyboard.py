"""Doing things with the keyboard alone, as a visitor without a mouse would, and checking that the
focus can be seen at every step."""

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return outline || style.boxShadow !== "none";
}"""


def tab_to(page, locator, *, check_focus: bool = True, max_presses: int = 120):
    """Press Tab until `locator` (a Playwright locator) has the focus; with `check_focus`, every
    element passed on the way must show that it has it. Raises AssertionError if never reached."""
    target = locator.element_handle()
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        at_the_end = page.evaluate("document.activeElement === document.body")  # Tab wraps around
        if check_focus and not at_the_end:
            assert page.evaluate(FOCUS_VISIBLE), (
                f"focus not visible on {page.evaluate('document.activeElement.outerHTML')[:200]}"
            )
        if page.evaluate("el => document.activeElement === el", target):
            return
    raise AssertionError(f"{locator} is not reachable with Tab")


def activate(page, locator, *, navigates: bool = True, **kwargs):
    """Tab to `locator` and press Enter (a link, a button); with `navigates`, wait for the page it
    leads to."""
    tab_to(page, locator, **kwargs)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


def type_into(page, locator, text: str, **kwargs):
    """Tab to a text field and type `text` over what it holds."""
    tab_to(page, locator, **kwargs)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
