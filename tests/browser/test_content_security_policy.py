"""The Content-Security-Policy (default-src 'none', each kind of resource named) breaks nothing: the
embed in a partner's frame, the admin's scripts and their fetches. Every browser test fails on what
the policy refuses (the open_page fixture); these visit what the journeys do not."""

import http.server
import threading

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def partner_site(live_server):
    """partner_site(html) -> the URL of a page of another site (127.0.0.1, while the live server is
    localhost) that shows `html`. A real server on loopback: Chromium refuses to let a page it was
    handed (Playwright's route) frame one on loopback."""
    pages: dict[str, bytes] = {}

    class Partner(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(pages["/"])

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Partner)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def partner_site(html: str) -> str:
        pages["/"] = html.encode()
        return f"http://127.0.0.1:{server.server_port}/"

    yield partner_site
    server.shutdown()
    server.server_close()


def test_a_partner_page_on_another_site_frames_the_embed(open_page, live_server, partner_site, june30_ahead):
    embed = f"{live_server.url}/embed/es/campaigns/june-30-2023/"
    page = open_page("es")
    page.goto(partner_site(f'<!DOCTYPE html><html lang="es"><title>Socios</title><iframe src="{embed}"></iframe>'))
    frame = page.frame_locator("iframe")
    assert frame.get_by_role("heading", level=1).inner_text() == "Jornada de acción del 30 de junio"
    assert frame.locator("html").evaluate("el => el.ownerDocument.styleSheets[0].cssRules.length")  # site.css


def test_the_admin_s_scripts_and_their_fetches_run(open_page, june30_ahead, django_user_model):
    django_user_model.objects.create_superuser("organizer", "organizer@example.org", "a long enough password")
    page = open_page("en")
    page.goto("/admin/login/")
    page.locator("#id_username").fill("organizer")
    page.locator("#id_password").fill("a long enough password")
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    page.goto("/admin/actions/action/add/")
    # modeltranslation's tabs (jQuery UI, served from here), then an autocomplete field's fetch.
    page.locator('[role="tab"][aria-controls="tab_id_title_es"]').click()
    page.locator("#id_title_es").wait_for(state="visible")
    page.locator("#id_city + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("Tapa")
    page.locator(".select2-results__option", has_text="Tapachula").wait_for()
    for path in ("/admin/", "/admin/actions/action/", "/admin/demands/demand/add/", "/admin/actions/signup/"):
        page.goto(path)
        assert page.locator("#content").is_visible(), path
