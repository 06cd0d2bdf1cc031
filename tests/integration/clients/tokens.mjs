// What a token endpoint answered, checked as a resource server would check it: the access token's
// signature against the issuer's JWKS, and its claims against the client and the granted scope.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';

const keySets = new Map();

function keySet(jwksUri) {
  if (!keySets.has(jwksUri)) keySets.set(jwksUri, createRemoteJWKSet(new URL(jwksUri)));
  return keySets.get(jwksUri);
}

// The access token's header and claims once verified; throws when it is not a JWT access token
// (RFC 9068) of this issuer, for the issuer's audience and `clientId`, with `scope`, unexpired.
async function verifyAccessToken(config, token, { clientId, scope }) {
  const { issuer, jwks_uri: jwksUri } = config.serverMetadata();
  const { payload, protectedHeader } = await jwtVerify(token, keySet(jwksUri), {
    issuer,
    audience: issuer,
    typ: 'at+jwt',
    requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id', 'scope'],
  });
  if (payload.client_id !== clientId) {
    throw new Error(`the access token's client_id is ${payload.client_id}, not ${clientId}`);
  }
  if (payload.scope !== scope) {
    throw new Error(`the access token's scope is "${payload.scope}", not the granted "${scope}"`);
  }
  return { header: protectedHeader, claims: payload };
}

// The ID token's claims once verified: signed by the issuer's key, for this client, unexpired.
// (openid-client checks its claims and nonce, and leaves its signature to the TLS connection.)
async function verifyIdToken(config, token) {
  const { issuer, jwks_uri: jwksUri } = config.serverMetadata();
  const { payload } = await jwtVerify(token, keySet(jwksUri), {
    issuer,
    audience: config.clientMetadata().client_id,
    requiredClaims: ['sub', 'exp', 'iat'],
  });
  return payload;
}

// The HTTP status with which `resource` answers a GET with the access token.
async function resourceStatus(config, accessToken, resource) {
  try {
    return (await client.fetchProtectedResource(config, accessToken, new URL(resource), 'GET'))
      .status;
  } catch (error) {
    // A refusal with a challenge (401) comes as an error.
    if (error instanceof client.WWWAuthenticateChallengeError) return error.status;
    throw error;
  }
}

// A token response as the test sees it: what the server answered, the verified claims of its
// access token and, when there is one, of its ID token; and, given `resource` (a URL), the status
// it answers with this access token at once, before the flow goes on and may revoke it.
export async function describe(config, response, resource) {
  const scope = response.scope;
  const accessToken = await verifyAccessToken(config, response.access_token, {
    clientId: config.clientMetadata().client_id,
    scope,
  });
  return {
    access_token: response.access_token,
    token_type: response.token_type,
    expires_in: response.expiresIn(),
    scope,
    refresh_token: response.refresh_token,
    access_token_header: accessToken.header,
    access_token_claims: accessToken.claims,
    id_token_claims: response.id_token && (await verifyIdToken(config, response.id_token)),
    resource_status: resource && (await resourceStatus(config, response.access_token, resource)),
  };
}
