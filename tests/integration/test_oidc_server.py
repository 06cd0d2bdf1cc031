"""The OAuth2 server the gateway's security tests rely on does what those tests assume: JWT and
opaque access tokens, introspection, revocation, a JWKS, key rotation. No gateway involved."""

import json
import time

import jwt
import pytest
import requests

from oidc_server import OidcServer
from security_support import ec_jwk


@pytest.fixture(scope="module")
def oidc(tmp_path_factory):
    with OidcServer(tmp_path_factory.mktemp("oidc")) as server:
        yield server


def verify(oidc, token, audience):
    """Verifies `token` the way a resource server would: key by kid from the published JWKS."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(key for key in oidc.jwks()["keys"] if key["kid"] == kid)
    key = jwt.PyJWK(jwk).key
    return jwt.decode(token, key, algorithms=[jwk["alg"]], audience=audience, issuer=oidc.issuer)


def test_discovery_lists_the_endpoints(oidc):
    discovery = requests.get(oidc.discovery_url, timeout=10).json()
    assert discovery["token_endpoint"] == oidc.token_endpoint
    assert discovery["issuer"] == oidc.issuer
    assert discovery["jwks_uri"] == oidc.jwks_uri
    assert discovery["introspection_endpoint"] == oidc.introspection_endpoint
    assert discovery["revocation_endpoint"] == oidc.revocation_endpoint


@pytest.mark.parametrize("resource,alg", [(OidcServer.JWT_RESOURCE, "RS256"),
                                          (OidcServer.JWT_ES256_RESOURCE, "ES256")])
def test_jwt_access_token_verifies_against_the_jwks(oidc, resource, alg):
    token = oidc.token(scope="read write", resource=resource)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == alg
    assert header["typ"] == "at+jwt"
    claims = verify(oidc, token, resource)
    print(json.dumps({"header": header, "claims": claims}, indent=2))
    assert claims["iss"] == oidc.issuer
    assert claims["aud"] == resource
    assert claims["client_id"] == "app-client"
    assert claims["sub"] == "app-client"
    assert claims["scope"] == "read write"
    assert claims["iat"] <= time.time() + 5 < claims["exp"]
    assert claims["jti"]


def test_jwt_access_token_fails_for_another_audience(oidc):
    token = oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)
    with pytest.raises(jwt.InvalidAudienceError):
        verify(oidc, token, "urn:someone:else")


def test_unknown_scope_is_not_granted(oidc):
    response = oidc.token_response(scope="read delete-everything")
    assert response.status_code == 200
    assert response.json()["scope"] == "read"


def test_unknown_resource_is_refused(oidc):
    response = oidc.token_response(scope="read", resource="urn:unknown")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_target"


@pytest.mark.parametrize("resource", [None, OidcServer.OPAQUE_RESOURCE])
def test_opaque_token_introspects_active(oidc, resource):
    token = oidc.token(scope="read admin", resource=resource)
    assert token.count(".") == 0  # not a JWT
    info = oidc.introspect(token)
    assert info["active"] is True
    assert info["client_id"] == "app-client"
    assert info["scope"] == "read admin"
    assert info["token_type"] == "Bearer"
    assert info["iss"] == oidc.issuer
    assert time.time() < info["exp"] <= time.time() + 3600 + 5
    if resource:
        assert info["aud"] == resource


def test_introspection_needs_the_gateway_credentials(oidc):
    token = oidc.token(scope="read")
    with pytest.raises(requests.HTTPError) as failure:
        oidc.introspect(token, client=("gateway-client", "wrong"))
    assert failure.value.response.status_code == 401


def test_revoked_token_introspects_inactive(oidc):
    token = oidc.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE)
    assert oidc.introspect(token)["active"] is True
    oidc.revoke(token)
    assert oidc.introspect(token) == {"active": False}


def test_garbage_token_introspects_inactive(oidc):
    assert oidc.introspect("not-a-token") == {"active": False}


def test_rotation_signs_with_a_new_published_key(tmp_path):
    with OidcServer(tmp_path) as oidc:
        before = oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)
        old_kid = jwt.get_unverified_header(before)["kid"]
        opaque_before = oidc.token(scope="read")

        published = oidc.rotate_keys()

        after = oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)
        new_kid = jwt.get_unverified_header(after)["kid"]
        assert new_kid != old_kid
        kids = [key["kid"] for key in oidc.jwks()["keys"]]
        assert kids == [key["kid"] for key in published["keys"]]
        assert new_kid in kids
        assert old_kid not in kids
        assert verify(oidc, after, OidcServer.JWT_RESOURCE)["client_id"] == "app-client"
        # Private parts never leave the server.
        assert all("d" not in key for key in published["keys"])
        # Tokens issued before the rotation are still known.
        assert oidc.introspect(opaque_before)["active"] is True


def test_rotation_can_keep_the_previous_keys(tmp_path):
    with OidcServer(tmp_path) as oidc:
        old_kid = jwt.get_unverified_header(oidc.token(resource=OidcServer.JWT_RESOURCE))["kid"]
        oidc.rotate_keys(keep_previous=True)
        new_kid = jwt.get_unverified_header(oidc.token(resource=OidcServer.JWT_RESOURCE))["kid"]
        kids = [key["kid"] for key in oidc.jwks()["keys"]]
        assert new_kid != old_kid
        assert new_kid in kids and old_kid in kids


def test_keys_chosen_by_the_test_are_used(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    jwk = ec_jwk(private)
    jwk.update(kid="test-chosen", alg="ES256", use="sig")
    with OidcServer(tmp_path, jwks={"keys": [jwk]}) as oidc:
        token = oidc.token(scope="read", resource=OidcServer.JWT_ES256_RESOURCE)
        assert jwt.get_unverified_header(token)["kid"] == "test-chosen"
        claims = jwt.decode(token, private.public_key(), algorithms=["ES256"],
                            audience=OidcServer.JWT_ES256_RESOURCE)
        assert claims["iss"] == oidc.issuer


def test_stop_leaves_no_process(tmp_path):
    server = OidcServer(tmp_path).start()
    process = server.process
    started = time.monotonic()
    server.stop()
    assert process.poll() is not None
    assert time.monotonic() - started < 5
