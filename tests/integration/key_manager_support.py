"""The built-in key manager (`oauth2_server`) as the black-box tests start it: a gateway whose
issuer is its own loopback address, the confidential client `shop` (the key of the application
shop-app), the user alice of the users section, and the API Shop secured by the `resident` key
manager, where GET needs the scope read and POST the scope write.

    gateway = start_key_manager(gateway_factory, backend_factory, tmp_path)
    gateway.issuer                   # "http://127.0.0.1:<port>"
    call_api(gateway, access_token)  # GET /shop/1.0/items with the token
    gateway.restart()                # the same port and store: a new process, the same issuer

Its admin listener can be put behind ADMIN_TOKEN (`with_admin_token`), as operators run it, and
called with it (`admin`).
"""

import hashlib

import requests

from harness import api, free_port
from test_auth_basic import argon2_hash

CLIENT_ID, SECRET = "shop", "shop-secret-0123456789abcdef"
USER, PASSWORD = "alice", "alice-pw!"
ADMIN_TOKEN = "admin-token-0123456789abcdef"
ADMIN_HEADERS = {"Authorization": "Bearer " + ADMIN_TOKEN}
DOWNSCOPE_GRANT = "urn:gatehouse:grant-type:downscope"
ITEMS_PATH = "/shop/1.0/items"  # the Shop API's resource: GET needs the scope read, POST write


def sha256_hash(secret):
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()


def shop_client(**overrides):
    """The client `shop` of the key manager; `overrides` replace or add its keys."""
    client = {"client_id": CLIENT_ID, "secret_hash": sha256_hash(SECRET),
              "grant_types": ["client_credentials", "password", "refresh_token"],
              "scopes": ["read", "write"], "application": "shop-app"}
    client.update(overrides)
    return client


def shop_api(backend):
    return api(name="Shop", version="1.0", context="/shop",
               endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"], "key_managers": ["resident"]},
               resources=[{"method": "GET", "path": "/items", "scopes": ["read"]},
                          {"method": "POST", "path": "/items", "scopes": ["write"]}])


def config(access_log, backend, port, store, clients, settings=None):
    """A gateway on `port` that serves the key manager with `clients`, its issuer being the
    gateway's own address (a restart must keep it: the issuer cannot change at a reload);
    `settings` are more keys of its oauth2_server section."""
    return {
        "workers": 2,
        "listeners": [{"name": "http", "address": "127.0.0.1:%d" % port}],
        "admin": {"address": "127.0.0.1:0"},
        "access_log": {"path": str(access_log)},
        "shutdown_timeout": "10s",
        "apis": [shop_api(backend)],
        "applications": [{"id": "shop-app",
                          "keys": [{"key_manager": "resident", "consumer_key": c["client_id"]}
                                   for c in clients if c.get("application") == "shop-app"]}],
        "subscriptions": [{"application": "shop-app", "api": "Shop:1.0"}],
        "users": [{"name": USER, "password_hash": argon2_hash(PASSWORD)}],
        "oauth2_server": {
            "issuer": "http://127.0.0.1:%d" % port,
            "store": str(store),
            "clients": clients,
            **(settings or {}),
        },
    }


def start_key_manager(gateway_factory, backend_factory, tmp_path, clients=None, settings=None):
    """The gateway with the key manager (clients: `shop` alone unless given; `settings`: more
    keys of oauth2_server), its backend started; the gateway has `issuer`, and `restart()`,
    which returns the new gateway."""
    backend = backend_factory("shop")
    store = tmp_path / "oauth2.db"
    port = free_port()  # the issuer names the port before the gateway can bind it
    starts = []

    def start():
        starts.append(tmp_path / ("access%d.log" % len(starts)))
        return gateway_factory(config=config(starts[-1], backend, port, store,
                                             clients or [shop_client()], settings))

    gateway = start()
    gateway.restart = lambda: (gateway.stop(), start())[1]
    gateway.issuer = "http://127.0.0.1:%d" % port
    return gateway


def call_api(gateway, bearer, method="GET"):
    """The Shop API's ITEMS_PATH with `bearer`."""
    return requests.request(method, gateway.url(ITEMS_PATH),
                            headers={"Authorization": "Bearer " + bearer}, timeout=10)


def with_admin_token(gateway_factory, change=None):
    """The gateway factory, its admin listener behind ADMIN_TOKEN; `change(config)`, if given,
    edits the config first."""
    def start(config, **options):
        if change:
            change(config)
        config["admin"]["auth"] = {
            "tokens": [{"sha256": hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest()}]}
        return gateway_factory(config=config, **options)
    return start


def admin(gateway, method, path, body=None):
    """The admin listener's answer to `method path` with ADMIN_TOKEN and a JSON `body`."""
    return requests.request(method, gateway.admin_url(path), json=body, headers=ADMIN_HEADERS,
                            timeout=30)
