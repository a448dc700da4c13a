"""Reading the API's lists as a partner's site does."""


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]
