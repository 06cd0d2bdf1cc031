"""What the black-box tests of the key manager's browser flows share: a PKCE pair, the pending
request of a login and consent page (/oauth2/authorize's, /oauth2/device's), the parameters of
the redirect back to the client, and a JWT's claims read without verification."""

import base64
import hashlib
import json
import re
import secrets
from urllib.parse import parse_qs, urlsplit


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def pending_request(page):
    return re.search(r'name="authorization_request" value="([^"]+)"', page.text).group(1)


def redirect_parameters(answer, redirect_uri):
    """The query of a 303 to `redirect_uri`, one value per name."""
    assert answer.status_code == 303, answer.text
    location = urlsplit(answer.headers["Location"])
    assert "%s://%s%s" % (location.scheme, location.netloc, location.path) == redirect_uri
    return {name: values[0] for name, values in parse_qs(location.query).items()}


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
