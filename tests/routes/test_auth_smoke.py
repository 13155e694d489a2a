def test_register_login_me_refresh_logout(client):
    body = {
        "email": "New.User@Example.com",
        "password": "a-Long-unique-passphrase-7",
        "first_name": "New",
        "last_name": "User",
        "role": "admin",
    }
    registered = client.post("/api/auth/register", json=body)
    assert registered.status_code == 201, registered.get_json()
    assert registered.get_json()["user"]["role"] == "patient"
    login = client.post(
        "/api/auth/login", json={"email": "new.user@example.com", "password": body["password"]}
    )
    assert login.status_code == 200, login.get_json()
    tokens = login.get_json()
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.get_json()["email"] == "new.user@example.com"
    refreshed = client.post(
        "/api/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert refreshed.status_code == 200, refreshed.get_json()
    new = refreshed.get_json()
    out = client.post(
        "/api/auth/logout", headers={"Authorization": f"Bearer {new['access_token']}"}
    )
    assert out.status_code == 204
    after = client.get("/api/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert after.status_code == 401
