def test_openapi_document_is_generated_from_schemas(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    login = spec["paths"]["/api/auth/login"]["post"]
    assert login["summary"] == "Sign in with email and password."
    assert "RegisterRequest" in spec["components"]["schemas"]
    assert spec["paths"]["/api/auth/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_docs_page_is_served(client):
    response = client.get("/api/docs", follow_redirects=True)
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()
