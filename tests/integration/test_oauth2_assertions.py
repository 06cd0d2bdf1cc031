"""The built-in key manager's JWT assertions, made here with PyJWT and keys generated for the
test: a client authenticating with private_key_jwt (RFC 7523 section 2.2), the JWT bearer grant
from a trusted issuer (section 2.1), and token exchange (RFC 8693) with and without an actor,
limited by may_act, and for a JWT; the tokens they give call an API secured by the `resident`
key manager."""

import hashlib
import json
import time
import uuid

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from harness import Backend, Gateway, api, free_port, wait_until
from security_support import JwksServer

SECRET = "shop-secret-0123456789abcdef"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt"
IDP = "https://idp.example"


class Signer:
    """An ES256 key and the JWTs it signs."""

    def __init__(self, kid):
        self.kid = kid
        self.key = ec.generate_private_key(ec.SECP256R1())

    def public_jwk(self):
        return dict(json.loads(ECAlgorithm.to_jwk(self.key.public_key())), kid=self.kid)

    def sign(self, iss, sub, aud, lifetime=60, **claims):
        now = int(time.time())
        payload = dict(iss=iss, sub=sub, aud=aud, iat=now, exp=now + lifetime,
                       jti=uuid.uuid4().hex, **claims)
        return jwt.encode(payload, self.key, algorithm="ES256", headers={"kid": self.kid})


CLIENT_KEY = Signer("signed-key")
IDP_KEY = Signer("idp-key")
# An identity provider whose keys the gateway fetches from its jwks_uri, and which rotates them.
ROTATING_IDP = "https://rotating.example"
ROTATING_KEYS = (Signer("rotating-1"), Signer("rotating-2"))


def published(*signers):
    return {"keys": [signer.public_jwk() for signer in signers]}




def config(access_log, backend, port, tmp_path, jwks_uri):
    issuer = "http://127.0.0.1:%d" % port
    idp_jwks = tmp_path / "idp.jwks"
    idp_jwks.write_text(json.dumps({"keys": [IDP_KEY.public_jwk()]}))
    shop = api(name="Shop", version="1.0", context="/shop",
               endpoints=[backend.url + "/echo"], security={"schemes": ["oauth2"]},
               resources=[{"method": "GET", "path": "/items"}])
    return {
        "workers": 2,
        "listeners": [{"name": "http", "address": "127.0.0.1:%d" % port}],
        "admin": {"address": "127.0.0.1:0"},
        "access_log": {"path": str(access_log)},
        "shutdown_timeout": "10s",
        "apis": [shop],
        "applications": [{"id": "shop-app",
                          "keys": [{"key_manager": "resident", "consumer_key": "shop"},
                                   {"key_manager": "resident", "consumer_key": "signed"}]}],
        "subscriptions": [{"application": "shop-app", "api": "Shop:1.0"}],
        "oauth2_server": {
            "issuer": issuer,
            "store": str(tmp_path / "oauth2.db"),
            "clients": [
                {"client_id": "shop", "grant_types": ["client_credentials"],
                 "secret_hash": "sha256:" + hashlib.sha256(SECRET.encode()).hexdigest(),
                 "scopes": ["read", "write"], "application": "shop-app"},
                {"client_id": "signed", "token_endpoint_auth_method": "private_key_jwt",
                 "jwks": [CLIENT_KEY.public_jwk()],
                 "grant_types": ["client_credentials", JWT_BEARER, TOKEN_EXCHANGE],
                 "scopes": ["read", "write"], "audiences": ["https://billing.example"],
                 "application": "shop-app"},
            ],
            "trusted_issuers": [{"issuer": IDP, "jwks_file": str(idp_jwks)},
                                {"issuer": ROTATING_IDP, "jwks_uri": jwks_uri}],
        },
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # One gateway for the module: each test's assertions are new, so none sees another's state.
    tmp_path = tmp_path_factory.mktemp("assertions")
    backend = Backend(tmp_path, "shop").start()
    port = free_port()
    workdir = tmp_path / "gw"
    workdir.mkdir()
    with JwksServer(published(ROTATING_KEYS[0])) as jwks:
        gateway = Gateway(workdir,
                          config(tmp_path / "access.log", backend, port, tmp_path, jwks.url))
        gateway.issuer = "http://127.0.0.1:%d" % port
        gateway.jwks = jwks
        yield gateway
        code = gateway.stop()
    backend.stop()
    assert code == 0, gateway.output()


def client_assertion(server, aud=None, **changes):
    return CLIENT_KEY.sign("signed", "signed", aud or server.issuer + "/oauth2/token", **changes)


def signed_token(server, by=None, **form):
    """A token request of the private_key_jwt client, authenticated `by` this assertion."""
    form.setdefault("grant_type", "client_credentials")
    form.update(client_assertion_type=CLIENT_ASSERTION_TYPE,
                client_assertion=by or client_assertion(server))
    return requests.post(server.url("/oauth2/token"), data=form, timeout=10)


def call_api(server, bearer):
    return requests.get(server.url("/shop/1.0/items"),
                        headers={"Authorization": "Bearer " + bearer}, timeout=10)


def claims_of(token):
    return jwt.decode(token, options={"verify_signature": False})


def test_discovery_offers_private_key_jwt_and_the_new_grants(server):
    document = requests.get(server.url("/.well-known/openid-configuration"), timeout=10).json()
    assert "private_key_jwt" in document["token_endpoint_auth_methods_supported"]
    assert "ES256" in document["token_endpoint_auth_signing_alg_values_supported"]
    assert {JWT_BEARER, TOKEN_EXCHANGE} <= set(document["grant_types_supported"])


def test_private_key_jwt_gets_a_token_that_calls_the_api_once(server):
    assertion = client_assertion(server)
    answer = signed_token(server, by=assertion)
    assert answer.status_code == 200, answer.text
    assert claims_of(answer.json()["access_token"])["client_id"] == "signed"
    assert call_api(server, answer.json()["access_token"]).status_code == 200
    replayed = signed_token(server, by=assertion)
    assert replayed.status_code == 401 and replayed.json()["error"] == "invalid_client"


def test_bad_client_assertions_are_invalid_client(server):
    other = Signer("signed-key")
    for bad in (client_assertion(server, aud="https://elsewhere.example/token"),
                client_assertion(server, lifetime=-120),
                client_assertion(server, lifetime=3600),
                other.sign("signed", "signed", server.issuer + "/oauth2/token")):
        answer = signed_token(server, by=bad)
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"] == "invalid_client"


def test_jwt_bearer_grant_for_the_idps_user(server):
    assertion = IDP_KEY.sign(IDP, "alice", server.issuer)
    answer = signed_token(server, grant_type=JWT_BEARER, assertion=assertion, scope="read")
    assert answer.status_code == 200, answer.text
    claims = claims_of(answer.json()["access_token"])
    assert claims["sub"] == "alice" and claims["scope"] == "read"
    assert call_api(server, answer.json()["access_token"]).status_code == 200

    stranger = Signer("idp-key").sign("https://stranger.example", "mallory", server.issuer)
    refused = signed_token(server, grant_type=JWT_BEARER, assertion=stranger)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_token_exchange_without_and_with_an_actor(server):
    shop = requests.post(server.url("/oauth2/token"), auth=("shop", SECRET),
                         data={"grant_type": "client_credentials", "scope": "read"}, timeout=10)
    assert shop.status_code == 200, shop.text
    subject = shop.json()["access_token"]

    plain = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=subject,
                         subject_token_type=ACCESS_TOKEN_TYPE)
    assert plain.status_code == 200, plain.text
    assert plain.json()["issued_token_type"] == ACCESS_TOKEN_TYPE
    claims = claims_of(plain.json()["access_token"])
    assert claims["sub"] == "shop" and claims["client_id"] == "signed" and "act" not in claims
    assert call_api(server, plain.json()["access_token"]).status_code == 200

    actor = IDP_KEY.sign(IDP, "batch-job", server.issuer)
    acting = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=subject,
                          subject_token_type=ACCESS_TOKEN_TYPE, actor_token=actor,
                          actor_token_type=JWT_TYPE)
    assert acting.status_code == 200, acting.text
    assert claims_of(acting.json()["access_token"])["act"] == {"sub": "batch-job"}
    assert call_api(server, acting.json()["access_token"]).status_code == 200

    wider = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=subject,
                         subject_token_type=ACCESS_TOKEN_TYPE, scope="write")
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    elsewhere = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=subject,
                             subject_token_type=ACCESS_TOKEN_TYPE,
                             audience="https://elsewhere.example")
    assert elsewhere.status_code == 400 and elsewhere.json()["error"] == "invalid_target"


def test_may_act_lets_only_the_party_it_names_act(server):
    def alice_for_batch_job():
        return IDP_KEY.sign(IDP, "alice", server.issuer, may_act={"sub": "batch-job"})

    def exchange(**form):
        return signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=alice_for_batch_job(),
                            subject_token_type=JWT_TYPE, **form)

    named = exchange(actor_token=IDP_KEY.sign(IDP, "batch-job", server.issuer),
                     actor_token_type=JWT_TYPE)
    assert named.status_code == 200, named.text
    claims = claims_of(named.json()["access_token"])
    assert claims["sub"] == "alice" and claims["act"] == {"sub": "batch-job"}
    assert call_api(server, named.json()["access_token"]).status_code == 200

    intruder = exchange(actor_token=IDP_KEY.sign(IDP, "intruder", server.issuer),
                        actor_token_type=JWT_TYPE)
    assert intruder.status_code == 400 and intruder.json()["error"] == "invalid_grant"
    # Without an actor token the client itself would act, and may_act does not name it.
    unnamed = exchange()
    assert unnamed.status_code == 400 and unnamed.json()["error"] == "invalid_grant"


def test_a_requested_jwt_is_issued_as_one(server):
    subject = IDP_KEY.sign(IDP, "alice", server.issuer)
    answer = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=subject,
                          subject_token_type=JWT_TYPE, requested_token_type=JWT_TYPE)
    assert answer.status_code == 200, answer.text
    assert answer.json()["issued_token_type"] == JWT_TYPE
    assert answer.json()["token_type"] == "Bearer"
    assert jwt.get_unverified_header(answer.json()["access_token"])["typ"] == "at+jwt"
    assert call_api(server, answer.json()["access_token"]).status_code == 200

    refresh = signed_token(server, grant_type=TOKEN_EXCHANGE,
                           subject_token=IDP_KEY.sign(IDP, "alice", server.issuer),
                           subject_token_type=JWT_TYPE,
                           requested_token_type="urn:ietf:params:oauth:token-type:refresh_token")
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_request"


def test_an_idp_token_is_exchanged_as_often_as_asked_while_valid(server):
    subject = IDP_KEY.sign(IDP, "alice", server.issuer)
    for audience in (server.issuer, "https://billing.example"):
        answer = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=subject,
                              subject_token_type=JWT_TYPE, audience=audience)
        assert answer.status_code == 200, answer.text
        assert claims_of(answer.json()["access_token"])["aud"] == audience
    # Beyond the hour the issuer's max_token_lifetime allows.
    long_lived = IDP_KEY.sign(IDP, "alice", server.issuer, lifetime=7200)
    refused = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=long_lived,
                           subject_token_type=JWT_TYPE)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_an_idps_keys_come_from_its_jwks_uri_and_are_fetched_again_when_it_rotates(server):
    def exchange(signer):
        return signed_token(server, grant_type=TOKEN_EXCHANGE,
                            subject_token=signer.sign(ROTATING_IDP, "bob", server.issuer),
                            subject_token_type=JWT_TYPE)

    # Fetched at start.
    assert wait_until(lambda: exchange(ROTATING_KEYS[0]).status_code == 200, timeout=10)
    fetches = server.jwks.fetches
    # The IdP publishes a new key and signs with it: the first token naming it is refused, and
    # has the keys fetched again, within the refetch interval (10 s).
    server.jwks.jwks = published(*ROTATING_KEYS)
    refused = exchange(ROTATING_KEYS[1])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert wait_until(lambda: exchange(ROTATING_KEYS[1]).status_code == 200, timeout=20)
    assert server.jwks.fetches == fetches + 1
    answer = exchange(ROTATING_KEYS[1])
    assert claims_of(answer.json()["access_token"])["sub"] == "bob"


def test_a_revoked_subject_token_cannot_be_exchanged(server):
    shop = requests.post(server.url("/oauth2/token"), auth=("shop", SECRET),
                         data={"grant_type": "client_credentials"}, timeout=10).json()
    revoked = requests.post(server.url("/oauth2/revoke"), auth=("shop", SECRET),
                            data={"token": shop["access_token"]}, timeout=10)
    assert revoked.status_code == 200
    answer = signed_token(server, grant_type=TOKEN_EXCHANGE, subject_token=shop["access_token"],
                          subject_token_type=ACCESS_TOKEN_TYPE)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
