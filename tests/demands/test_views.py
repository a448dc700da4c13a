"""demands/views.py: the demand overview, a demand's page with its timeline, the outcome pages."""

import pytest

from actions.seed import load_day_of_action
from tests.factories import ActionFactory, DemandFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_the_demand_overview_counts_by_status_and_target_and_links_each(client):
    DemandFactory(title_en="Asylum", status="commitment", target="mx", slug="asylum")
    DemandFactory(title_en="Guns", status="raised", target="us", slug="guns")
    DemandFactory(title_en="Disappeared", status="raised", target="mx", slug="disappeared")
    html = client.get("/es/demands/").content.decode()
    assert "<h1>Dónde están nuestras demandas</h1>" in html
    raised = html.split('href="#status-raised">')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in raised.split("<td>")[1:]] == ["1", "1", "0", "2"]  # US, MX, both, total
    for slug in ("asylum", "guns", "disappeared"):
        assert f'href="/es/demands/{slug}/"' in html


def test_demand_page_shows_the_actions_that_pressed_it_and_the_outcomes(client):
    demand = DemandFactory()
    action = ActionFactory(title_en="Vigil for asylum")
    action.demands.add(demand)
    outcome = OutcomeFactory(title_en="A commitment")
    outcome.demands.add(demand)
    html = client.get(f"/en/demands/{demand.slug}/").content.decode()
    assert "Vigil for asylum" in html and "A commitment" in html


def test_the_demand_page_shows_its_timeline_in_the_page_language(client):
    load_day_of_action()
    html = client.get("/es/demands/justice-ciudad-juarez-fire/").content.decode()
    history = html.split('id="history-heading"')[1].split("</section>")[0]
    assert "Una de las demandas de la jornada de acción del 30 de junio" in history
    assert '<time datetime="2023-06-30">' in history and "Fecha no registrada" in history
    assert history.index("Una de las demandas") < history.index("Reconocida")
    assert 'href="/es/outcomes/cndh-recommendation-ciudad-juarez-fire/"' in history


def test_outcome_page_labels_the_source_language(client):
    outcome = OutcomeFactory(source_url="https://example.org/rec.pdf", source_language="es")
    assert "Available in Spanish" in client.get(f"/en/outcomes/{outcome.slug}/").content.decode()
    assert "Disponible en español" in client.get(f"/es/outcomes/{outcome.slug}/").content.decode()


def test_the_outcome_timeline_comes_a_page_at_a_time_newest_first(client, django_assert_max_num_queries):
    import datetime

    for day in range(1, 56):
        OutcomeFactory(title_en=f"Outcome of day {day}", date=datetime.date(2024, 1, 1) + datetime.timedelta(days=day))
    with django_assert_max_num_queries(8):
        first = client.get("/en/outcomes/").content.decode()
    assert "Outcome of day 55<" in first and "Outcome of day 6<" in first and "Outcome of day 5<" not in first
    assert "Page 1 of 2" in first
    second = client.get("/en/outcomes/?page=2").content.decode()
    assert "Outcome of day 5<" in second and "Outcome of day 6<" not in second


def test_the_campaign_page_shows_its_ten_newest_outcomes_and_links_to_all_of_them(client):
    import datetime

    from tests.factories import CampaignFactory

    campaign, other = CampaignFactory(), CampaignFactory()
    for day in range(1, 13):
        OutcomeFactory(campaign=campaign, title_en=f"Ours {day}", date=datetime.date(2024, 1, day))
    OutcomeFactory(campaign=other, title_en="Theirs")
    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert "Ours 12<" in page and "Ours 3<" in page and "Ours 2<" not in page
    link = f"/en/outcomes/?campaign={campaign.slug}"
    assert link in page
    listed = client.get(link).content.decode()
    assert "Ours 2<" in listed and "Ours 12<" in listed and "Theirs" not in listed
    few = CampaignFactory()
    OutcomeFactory(campaign=few)
    assert "/en/outcomes/?campaign=" not in client.get(f"/en/campaigns/{few.slug}/").content.decode()
