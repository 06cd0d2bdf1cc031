// How the flows meet the key manager: as a relying party configured from the issuer's discovery
// document alone, and a failed request's OAuth error as a result the test can read.
import * as client from 'openid-client';

// Each method, and which of the flow's options holds the credential it needs.
const clientAuthentication = {
  client_secret_basic: { method: client.ClientSecretBasic, credential: 'secret' },
  client_secret_post: { method: client.ClientSecretPost, credential: 'secret' },
  private_key_jwt: { method: client.PrivateKeyJwt, credential: 'privateKey' },
  none: { method: client.None },
};
// Where each credential comes from, for the message when it is missing.
const credentialSource = { secret: 'CLIENT_SECRET', privateKey: 'CLIENT_PRIVATE_KEY' };

export const authMethods = Object.keys(clientAuthentication);

// `algorithm`: 'oidc' reads /.well-known/openid-configuration, 'oauth2' RFC 8414's
// /.well-known/oauth-authorization-server.
export async function connect({ issuer, clientId, auth, algorithm = 'oidc', ...credentials }) {
  const url = new URL(issuer);
  const authentication = clientAuthentication[auth];
  if (!authentication) {
    throw new Error(`unknown client authentication ${auth}: one of ${authMethods}`);
  }
  const { method, credential } = authentication;
  if (credential && credentials[credential] === undefined) {
    throw new Error(`${auth} needs ${credentialSource[credential]}`);
  }
  // openid-client refuses plain http; the tests serve the issuer on a loopback address only.
  const execute = url.protocol === 'http:' ? [client.allowInsecureRequests] : [];
  return client.discovery(url, clientId, undefined, method(credentials[credential]),
                          { algorithm, execute });
}

// The OAuth error (RFC 6749 section 5.2) that `error` reports, or null when it is no answer of
// the server's. A 401 with a WWW-Authenticate challenge (a refused client secret) comes as its
// own error class, with the answer unread.
async function oauthError(error) {
  if (error instanceof client.ResponseBodyError) {
    return { status: error.status, error: error.error, description: error.error_description };
  }
  if (error instanceof client.AuthorizationResponseError) {
    return { error: error.error, description: error.error_description };
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const body = await error.response.json().catch(() => ({}));
    return { status: error.status, error: body.error, description: body.error_description };
  }
  return null;
}

// The outcome of a request that the flow expects the server to refuse: the OAuth error it
// answered, or `refused: false` when it accepted, so that the test, not the flow, judges.
export async function refusal(request) {
  try {
    await request;
    return { refused: false };
  } catch (error) {
    const refused = await oauthError(error);
    if (!refused) throw error;
    return { refused: true, status: refused.status, error: refused.error };
  }
}

// The token request's scope parameter: --scope's, or none, to be granted the client's default.
export function scopeParameter(options) {
  return options.scope === undefined ? {} : { scope: options.scope };
}

// `value`, which a flow cannot do without; `what`: where it comes from, for the message.
export function required(value, what) {
  if (value === undefined) throw new Error(`${what} is required`);
  return value;
}

// What a failure means, for the message on stderr.
export async function explain(error) {
  const refused = await oauthError(error);
  if (refused) {
    const status = refused.status ? `${refused.status} ` : '';
    return `the server answered ${status}${refused.error}: ${refused.description ?? ''}`;
  }
  const cause = error?.cause ? ` (${error.cause.message ?? error.cause})` : '';
  return `${error?.message ?? error}${cause}`;
}
