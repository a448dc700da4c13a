"""movement/sitemaps.py: every public page in both languages, drafts never."""

import pytest

from actions.models import Action
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_every_public_page_in_both_languages(client, june30):
    draft = ActionFactory(status=Action.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    for lang in ("en", "es"):
        assert f"<loc>http://testserver/{lang}/actions/june-30-2023-tapachula/</loc>" in xml
        assert f"<loc>http://testserver/{lang}/demands/justice-ciudad-juarez-fire/</loc>" in xml
        assert f"<loc>http://testserver/{lang}/privacy/</loc>" in xml
    assert 'hreflang="es" href="http://testserver/es/outcomes/' in xml
    assert draft.slug not in xml
