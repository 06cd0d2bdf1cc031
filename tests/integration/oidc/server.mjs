// An independent OAuth2 / OpenID Connect server (oidc-provider) for the black-box tests.
//
//   node server.mjs PORT        (or OIDC_PORT=PORT node server.mjs)
//
// Issuer http://127.0.0.1:PORT; PORT 0 binds a free port, which the first line printed names
// ("oidc-provider listening on http://127.0.0.1:41234"). Client credentials, introspection and
// revocation are enabled.
// The resource indicator decides the access token's format:
//   urn:gatehouse:jwt        JWT signed with the first key (RS256 unless keys were given)
//   urn:gatehouse:jwt-es256  JWT signed with the first ES256 key
//   urn:gatehouse:opaque     opaque
//   no resource              opaque, no audience (the three above have aud = the resource)
// Signing keys: the private JWKS in the file OIDC_JWKS_FILE, or one RS256 and one ES256 key
// generated at start. Access tokens live OIDC_TOKEN_TTL seconds (default 3600) and carry
// `nbf` = their issue time (in JWTs and introspection answers alike, as many IdPs do).
// OIDC_TLS_CERT and OIDC_TLS_KEY (PEM files) serve HTTPS instead, issuer https://127.0.0.1:PORT.
//
// Test-only routes, answered before the provider sees the request:
//   POST /test/rotate   body: {} to generate new keys, or {"keys": [...]} (a private JWKS) to use
//                       those; {"keep_previous": true} keeps the old keys in the published JWKS
//                       (after the new ones, so the new ones sign). Answers the public JWKS.
//   POST /test/settings body: {"clock_skew": SECONDS} runs the server's clock that far ahead
//                       (negative: behind), as an IdP whose clock is wrong would: the iat, nbf
//                       and exp of its tokens are off by that much; {"token_ttl": SECONDS} sets
//                       the lifetime of the access tokens issued from now on. Answers the settings.
//   GET  /test/requests the requests received so far, as {"METHOD /path": count} (the path
//                       without its query; the test routes are not counted).
// Rotation builds a new Provider with the new keys (a provider reads its keys once, when it is
// made); all instances share one in-memory token store, so tokens issued before a rotation still
// introspect and revoke.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

import Provider, { errors } from 'oidc-provider';
// oidc-provider's own in-memory store: one per process, shared by every Provider instance, so
// that a rotation keeps the tokens issued before it. Pinned version (8.x, the last line that runs
// on Debian 12's Node.js 18): lib/ is a stable path there.
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const port = Number(process.argv[2] ?? process.env.OIDC_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: node server.mjs PORT');
  process.exit(2);
}
const tls = process.env.OIDC_TLS_CERT
  ? { cert: readFileSync(process.env.OIDC_TLS_CERT), key: readFileSync(process.env.OIDC_TLS_KEY) }
  : undefined;
let issuer; // known once the server listens, and only then are providers made

// The provider reads the time through Date.now() only (its epochTime helper, its memory store).
const settings = { clock_skew: 0, token_ttl: Number(process.env.OIDC_TOKEN_TTL ?? 3600) };
const realNow = Date.now;
Date.now = () => realNow() + settings.clock_skew * 1000;

const SCOPES = 'read write admin';

// Resource indicator -> how its access tokens are made. The first key is the current signing key.
function resourceServers(keys) {
  const jwt = (alg) => ({ accessTokenFormat: 'jwt', jwt: { sign: { alg } } });
  return {
    'urn:gatehouse:jwt': jwt(keys[0].alg),
    'urn:gatehouse:jwt-es256': jwt('ES256'),
    'urn:gatehouse:opaque': { accessTokenFormat: 'opaque' },
  };
}

function generateKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return [
    { ...rsa.export({ format: 'jwk' }), kid: `rs-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' },
    { ...ec.export({ format: 'jwk' }), kid: `es-${randomBytes(6).toString('hex')}`, alg: 'ES256', use: 'sig' },
  ];
}

function makeProvider(keys) {
  const resources = resourceServers(keys);
  const provider = new Provider(issuer, {
    clients: [
      // The gateway: authenticates its introspection calls.
      {
        client_id: 'gateway-client',
        client_secret: 'gateway-secret',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
      // The application: gets tokens with client credentials.
      {
        client_id: 'app-client',
        client_secret: 'app-secret',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: SCOPES,
      },
    ],
    adapter: MemoryAdapter,
    jwks: { keys },
    clientDefaults: { id_token_signed_response_alg: keys[0].alg },
    scopes: ['openid', 'offline_access', ...SCOPES.split(' ')],
    cookies: { keys: ['gatehouse-test-cookie-key'] },
    ttl: { ClientCredentials: () => settings.token_ttl },
    extraTokenClaims: async () => ({ nbf: Math.floor(Date.now() / 1000) }),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (ctx, resource) => {
          const server = resources[resource];
          if (!server) throw new errors.InvalidTarget();
          return { scope: SCOPES, audience: resource, ...server };
        },
      },
    },
  });
  // Errors the provider turns into OAuth error responses are expected in these tests; anything
  // else is printed for the test's log.
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  return provider;
}

const publicJwks = (keys) =>
  keys.map(({ kty, kid, alg, use, n, e, crv, x, y }) => ({ kty, kid, alg, use, n, e, crv, x, y }));


let keys = process.env.OIDC_JWKS_FILE
  ? JSON.parse(readFileSync(process.env.OIDC_JWKS_FILE, 'utf8')).keys
  : generateKeys();
let handler;

async function readJson(request) {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : {};
}

async function rotate(request, response) {
  const body = await readJson(request);
  const fresh = body.keys ?? generateKeys();
  const next = body.keep_previous ? [...fresh, ...keys] : fresh;
  handler = makeProvider(next).callback();
  keys = next;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ keys: publicJwks(keys) }));
}

const received = {};

function countRequest(request) {
  const key = `${request.method} ${request.url.split('?')[0]}`;
  received[key] = (received[key] ?? 0) + 1;
}

const serve = (request, response) => {
  if (request.method === 'GET' && request.url === '/test/requests') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(received));
    return;
  }
  if (request.method === 'POST' && request.url === '/test/settings') {
    readJson(request).then((body) => {
      for (const name of Object.keys(settings)) {
        if (Number.isFinite(body[name])) settings[name] = body[name];
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(settings));
    }, (error) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
    return;
  }
  if (request.method === 'POST' && request.url === '/test/rotate') {
    rotate(request, response).catch((error) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
    return;
  }
  countRequest(request);
  handler(request, response);
};
const server = tls ? createHttpsServer(tls, serve) : createHttpServer(serve);

server.listen(port, '127.0.0.1', () => {
  issuer = `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
  handler = makeProvider(keys).callback();
  console.log(`oidc-provider listening on ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
