// The flows built on JWTs that the client signs with keys of its own (keys.mjs): a client that
// authenticates with private_key_jwt (RFC 7523 section 2.2), the JWT bearer grant of a trusted
// identity provider's assertion (section 2.1), and token exchange (RFC 8693) with and without an
// actor. openid-client sends them; jose signs the identity assertions.
import * as client from 'openid-client';

import { connect, refusal, required, scopeParameter } from './connect.mjs';
import { identityAssertion, makeKeyPair, signingKey } from './keys.mjs';
import { describe } from './tokens.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

// The trusted identity provider's assertion that `subject` is its user, for this key manager.
function assertionAbout(config, options, subject) {
  return identityAssertion(required(options.idpKey, 'IDP_PRIVATE_KEY in the environment'), {
    issuer: required(options.idp, '--idp'),
    subject,
    audience: config.serverMetadata().issuer,
  });
}

// A client-credentials token got with a signed assertion instead of a secret (whatever --auth
// says: this flow is about that method), then introspected the same way; then an assertion
// signed by another key under the same kid, which the server must refuse.
async function privateKeyJwt(options) {
  const signedBy = (privateKey) => connect({ ...options, auth: 'private_key_jwt', privateKey });
  const config = await signedBy(options.privateKey);
  const issued = await client.clientCredentialsGrant(config, scopeParameter(options));
  const described = await describe(config, issued, options.resource);
  const introspection = await client.tokenIntrospection(config, issued.access_token);
  const impostor = await signingKey((await makeKeyPair(options.privateKey?.kid)).private_jwk);
  return {
    issued: described,
    introspection,
    unknown_key: await refusal(client.clientCredentialsGrant(await signedBy(impostor))),
  };
}

// The identity provider's assertion about --username traded for an access token; the same
// assertion again must be refused, since each is taken once.
async function jwtBearer(options) {
  const config = await connect(options);
  const assertion = await assertionAbout(config, options, required(options.username, '--username'));
  const grant = () => client.genericGrantRequest(config, JWT_BEARER,
                                                 { assertion, ...scopeParameter(options) });
  return {
    issued: await describe(config, await grant(), options.resource),
    same_assertion_again: await refusal(grant()),
  };
}

// The access token --token traded for one of this client's: as it is, then with the identity
// provider's assertion about --actor as the actor token, which the new token names in `act`.
async function tokenExchange(options) {
  const subject = { subject_token: required(options.token, '--token'),
                    subject_token_type: ACCESS_TOKEN_TYPE };
  const config = await connect(options);
  const plain = await client.genericGrantRequest(config, TOKEN_EXCHANGE, subject);
  const actorToken = await assertionAbout(config, options, required(options.actor, '--actor'));
  const acting = await client.genericGrantRequest(config, TOKEN_EXCHANGE, {
    ...subject,
    actor_token: actorToken,
    actor_token_type: JWT_TOKEN_TYPE,
  });
  const exchanged = async (response) => ({
    issued_token_type: response.issued_token_type,
    ...(await describe(config, response, options.resource)),
  });
  return { plain: await exchanged(plain), acting: await exchanged(acting) };
}

export const assertionFlows = {
  'private-key-jwt': privateKeyJwt,
  'jwt-bearer': jwtBearer,
  'token-exchange': tokenExchange,
};
