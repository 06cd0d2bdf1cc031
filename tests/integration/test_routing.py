"""Routing: host + context + version + resource template with {param} and a trailing /*;
404 for unknown paths, 405 with Allow for a method mismatch, JSON error bodies."""

import pytest
import requests

import rawhttp
from harness import api


def assert_json_error(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "description"}
    assert body["code"] == code
    assert body["message"] and body["description"]
    return body


@pytest.fixture
def routed(gateway_factory, backend_factory):
    one, two, three = backend_factory("one"), backend_factory("two"), backend_factory("three")
    return gateway_factory([
        api(name="Shop", version="1.0.0", context="/shop", endpoints=[one.url + "/echo"],
            resources=[
                {"method": "GET", "path": "/items"},
                {"methods": ["GET", "PUT", "DELETE"], "path": "/items/{itemId}"},
                {"method": "GET", "path": "/items/{itemId}/reviews/{reviewId}"},
                {"method": "POST", "path": "/items"},
                {"methods": ["GET"], "path": "/files/*"},
            ]),
        api(name="Shop", version="2.0.0", context="/shop", endpoints=[two.url + "/echo"],
            default_version=True,
            resources=[{"method": "GET", "path": "/items"}]),
        api(name="HostA", version="1.0.0", context="/hosted", host="a.example",
            endpoints=[one.url + "/echo"]),
        api(name="HostB", version="1.0.0", context="/hosted", host="b.example",
            endpoints=[two.url + "/echo"]),
        api(name="Deep", version="v1", context="/org/team/deep", endpoints=[three.url + "/echo"]),
    ])


def get(gw, path, **kw):
    return requests.get(gw.url(path), timeout=10, **kw)


def test_exact_resource(routed):
    response = get(routed, "/shop/1.0.0/items")
    assert response.status_code == 200
    assert response.headers["X-Backend"] == "one"
    assert response.json()["path"] == "/echo/items"


def test_path_parameter(routed):
    response = get(routed, "/shop/1.0.0/items/42")
    assert response.status_code == 200
    assert response.json()["path"] == "/echo/items/42"


def test_several_path_parameters(routed):
    response = get(routed, "/shop/1.0.0/items/42/reviews/7")
    assert response.json()["path"] == "/echo/items/42/reviews/7"


def test_parameter_matches_one_segment_only(routed):
    assert_json_error(get(routed, "/shop/1.0.0/items/42/extra"), 404, 404)


def test_trailing_wildcard_matches_any_depth(routed):
    for rest in ("a", "a/b", "a/b/c.txt"):
        response = get(routed, "/shop/1.0.0/files/" + rest)
        assert response.status_code == 200, rest
        assert response.json()["path"] == "/echo/files/" + rest


def test_query_string_is_forwarded_unchanged(routed):
    response = get(routed, "/shop/1.0.0/items?b=2&a=1&a=%20x")
    assert response.json()["target"] == "/echo/items?b=2&a=1&a=%20x"


def test_methods_share_a_template(routed):
    for method in ("PUT", "DELETE"):
        response = requests.request(method, routed.url("/shop/1.0.0/items/9"), timeout=10)
        assert response.status_code == 200
        assert response.json()["method"] == method


def test_unknown_resource_is_404_json(routed):
    body = assert_json_error(get(routed, "/shop/1.0.0/nothing-here"), 404, 404)
    assert "nothing-here" in body["description"]


def test_unknown_api_is_404_json(routed):
    assert_json_error(get(routed, "/no-such-api/1.0.0/items"), 404, 404)


def test_unknown_version_is_404_json(routed):
    assert_json_error(get(routed, "/shop/9.9.9/items"), 404, 404)


def test_root_path_is_404_json(routed):
    assert_json_error(get(routed, "/"), 404, 404)


def test_method_mismatch_is_405_with_allow(routed):
    response = requests.patch(routed.url("/shop/1.0.0/items/9"), timeout=10)
    assert_json_error(response, 405, 405)
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "PUT", "DELETE"}  # HEAD is served wherever GET is


def test_405_allow_lists_methods_of_all_resources_on_the_path(routed):
    response = requests.delete(routed.url("/shop/1.0.0/items"), timeout=10)
    assert_json_error(response, 405, 405)
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "HEAD", "POST"}


def test_versions_route_to_their_own_backends(routed):
    assert get(routed, "/shop/1.0.0/items").headers["X-Backend"] == "one"
    assert get(routed, "/shop/2.0.0/items").headers["X-Backend"] == "two"


def test_default_version_is_served_without_the_version_segment(routed):
    response = get(routed, "/shop/items")
    assert response.status_code == 200
    assert response.headers["X-Backend"] == "two"
    assert response.json()["path"] == "/echo/items"


def test_host_routing(routed):
    assert get(routed, "/hosted/1.0.0/x", headers={"Host": "a.example"}).headers["X-Backend"] == "one"
    assert get(routed, "/hosted/1.0.0/x", headers={"Host": "b.example"}).headers["X-Backend"] == "two"


def test_host_routing_ignores_port_and_case(routed):
    response = get(routed, "/hosted/1.0.0/x", headers={"Host": "B.Example:8280"})
    assert response.headers["X-Backend"] == "two"


def test_unknown_host_is_404(routed):
    assert_json_error(get(routed, "/hosted/1.0.0/x", headers={"Host": "c.example"}), 404, 404)


def test_multi_segment_context(routed):
    response = get(routed, "/org/team/deep/v1/anything")
    assert response.headers["X-Backend"] == "three"
    assert response.json()["path"] == "/echo/anything"


def test_context_prefix_must_end_at_a_segment(routed):
    assert_json_error(get(routed, "/shopping/1.0.0/items"), 404, 404)


def test_absolute_form_target_is_routed_by_its_path(routed):
    with rawhttp.connect(routed.port) as conn:
        conn.send(b"GET http://a.example/hosted/1.0.0/abs HTTP/1.1\r\nHost: a.example\r\n\r\n")
        response = conn.read_response()
    assert response.status == 200
    assert response.json()["path"] == "/echo/abs"


def test_many_apis_route_correctly(gateway_factory, backend):
    apis = [api(name="Api%d" % i, version="1.0.0", context="/api%d" % i,
                endpoints=[backend.url + "/echo/%d" % i],
                resources=[{"method": "GET", "path": "/r/{id}"}]) for i in range(2000)]
    gw = gateway_factory(apis)
    with requests.Session() as session:
        for i in (0, 1, 999, 1999):
            response = session.get(gw.url("/api%d/1.0.0/r/x" % i), timeout=10)
            assert response.json()["path"] == "/echo/%d/r/x" % i
        assert_json_error(session.get(gw.url("/api2000/1.0.0/r/x"), timeout=10), 404, 404)
