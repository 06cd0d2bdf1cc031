"""The first policies: request/response headers, path rewrite, CORS with gateway-answered
preflights; attached per API and per resource."""

import pytest
import requests

from harness import api


@pytest.fixture
def policed(gateway_factory, backend):
    headers_policy = {
        "type": "headers",
        "request": {"set": {"X-Set": "by-api", "X-Replace": "replaced"},
                    "add": {"X-Added": "api"},
                    "remove": ["X-Secret"]},
        "response": {"set": {"X-Gateway": "gatehouse"},
                     "remove": ["X-Internal", "Server"]},
    }
    cors = {
        "type": "cors",
        "allow_origins": ["https://app.example"],
        "allow_methods": ["GET", "POST", "PUT"],
        "allow_headers": ["Authorization", "Content-Type", "X-Custom"],
        "expose_headers": ["X-Request-ID", "X-Backend"],
        "allow_credentials": True,
        "max_age": 600,
    }
    return gateway_factory([
        api(name="Edit", context="/edit", endpoints=[backend.url], policies=[headers_policy],
            resources=[
                {"methods": ["GET", "POST"], "path": "/echo/*"},
                {"method": "GET", "path": "/response-headers"},
                {"method": "GET", "path": "/special/{id}", "policies": [
                    {"type": "headers", "request": {"set": {"X-Set": "by-resource"}}},
                    {"type": "rewrite", "path": "/echo/rewritten/{id}"},
                ]},
            ]),
        api(name="Rewrite", context="/rw", endpoints=[backend.url], resources=[
            {"method": "GET", "path": "/orders/{orderId}/lines/{line}", "policies": [
                {"type": "rewrite", "path": "/echo/o/{orderId}/l/{line}"}]},
            {"method": "GET", "path": "/static", "policies": [
                {"type": "rewrite", "path": "/echo/fixed"}]},
        ]),
        api(name="Cors", context="/cors", endpoints=[backend.url], policies=[cors], resources=[
            {"methods": ["GET", "POST", "PUT"], "path": "/echo/*"},
        ]),
    ])


def test_request_headers_set_add_remove(policed):
    response = requests.get(policed.url("/edit/1.0.0/echo/x"), timeout=10, headers={
        "X-Secret": "hide me", "X-Replace": "original", "X-Added": "client"})
    seen = response.json()
    assert seen["headers"]["x-set"] == "by-api"
    assert seen["headers"]["x-replace"] == "replaced"
    assert "x-secret" not in seen["headers"]
    added = [v for n, v in seen["raw_headers"] if n.lower() == "x-added"]
    assert sorted(added) == ["api", "client"]


def test_response_headers_set_and_remove(policed):
    response = requests.get(policed.url("/edit/1.0.0/response-headers?X-Internal=secret&X-Other=1"),
                            timeout=10)
    assert response.status_code == 200
    assert response.headers["X-Gateway"] == "gatehouse"
    assert "X-Internal" not in response.headers
    assert "Server" not in response.headers
    assert response.headers["X-Other"] == "1"


def test_unknown_path_under_a_policed_api_is_a_json_404(policed):
    response = requests.get(policed.url("/edit/1.0.0/nowhere"), timeout=10)
    assert response.status_code == 404
    assert response.json()["code"] == 404


def test_resource_policies_run_after_api_policies(policed):
    seen = requests.get(policed.url("/edit/1.0.0/special/5"), timeout=10).json()
    assert seen["headers"]["x-set"] == "by-resource"
    assert seen["headers"]["x-replace"] == "replaced"  # the API's policy ran as well


def test_rewrite_with_parameters(policed):
    seen = requests.get(policed.url("/rw/1.0.0/orders/17/lines/3?full=1"), timeout=10).json()
    assert seen["target"] == "/echo/o/17/l/3?full=1"


def test_rewrite_to_a_fixed_path(policed):
    seen = requests.get(policed.url("/rw/1.0.0/static"), timeout=10).json()
    assert seen["path"] == "/echo/fixed"


def test_rewrite_combined_with_headers(policed):
    seen = requests.get(policed.url("/edit/1.0.0/special/abc"), timeout=10).json()
    assert seen["path"] == "/echo/rewritten/abc"


def preflight(gw, origin="https://app.example", method="PUT", headers="X-Custom, Content-Type"):
    return requests.options(gw.url("/cors/1.0.0/echo/thing"), timeout=10, headers={
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    })


def test_cors_preflight_is_answered_by_the_gateway(policed):
    response = preflight(policed)
    assert response.status_code == 204
    assert response.content == b""
    assert "Connection" not in response.headers, "the preflight closed the connection"
    assert "X-Backend" not in response.headers, "preflight was passed to the backend"
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PUT"} <= methods
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"x-custom", "content-type"} <= allowed
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response.headers.get("Vary", "")


def test_cors_preflight_from_a_foreign_origin_is_not_allowed(policed):
    response = preflight(policed, origin="https://evil.example")
    assert "X-Backend" not in response.headers
    assert response.headers.get("Access-Control-Allow-Origin") is None


def test_cors_preflight_for_a_disallowed_method_is_not_allowed(policed):
    response = preflight(policed, method="DELETE")
    methods = response.headers.get("Access-Control-Allow-Methods", "")
    assert "DELETE" not in methods
    assert "X-Backend" not in response.headers


def test_cors_actual_request_gets_cors_headers(policed):
    response = requests.post(policed.url("/cors/1.0.0/echo/thing"), data=b"{}", timeout=10,
                             headers={"Origin": "https://app.example"})
    assert response.status_code == 200
    assert response.headers["X-Backend"] == "b1"
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"x-request-id", "x-backend"}


def test_cors_request_from_a_foreign_origin_gets_no_cors_headers(policed):
    response = requests.get(policed.url("/cors/1.0.0/echo/thing"), timeout=10,
                            headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_plain_options_without_preflight_headers_goes_by_the_resources(policed):
    # Not a preflight (no Access-Control-Request-Method): OPTIONS is not a resource method.
    response = requests.options(policed.url("/cors/1.0.0/echo/thing"), timeout=10)
    assert response.status_code == 405
    assert "Allow" in response.headers
