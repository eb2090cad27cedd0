def test_login_page_is_japanese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
    assert "ログイン" in response.content.decode()


def test_dashboard_shows_municipality_figures(client_as):
    response = client_as("kawara").get("/dashboard/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "香春町" in body
    assert "9,995" in body
    assert "佐伯市" not in body
