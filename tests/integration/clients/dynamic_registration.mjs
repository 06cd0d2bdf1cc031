#!/usr/bin/env node
// Registers a client at an issuer with openid-client's Dynamic Client Registration (RFC 7591):
// the registration endpoint is found through the issuer's discovery document, the client asks
// for authorization_code and client_credentials, and then gets a client_credentials token with
// the credentials it was given. Prints what it registered and the token as JSON on stdout; a
// failure is a message on stderr and exit status 1.
//
//   node dynamic_registration.mjs --issuer URL --scope S --redirect-uri URI [--auth METHOD]
//
// --auth: client_secret_basic (the default) or client_secret_post, the token endpoint
// authentication it registers and then uses.
//
// The initial access token comes from the environment, INITIAL_ACCESS_TOKEN, not the command
// line; without it the registration is anonymous (an open registration endpoint).
import { parseArgs } from 'node:util';

import * as client from 'openid-client';

import { explain } from './connect.mjs';
import { describe } from './tokens.mjs';

// Each method it may register, and how openid-client then authenticates: with the secret that
// the registration answer gave (no argument: read from the registered client's metadata).
const clientAuthentication = {
  client_secret_basic: client.ClientSecretBasic,
  client_secret_post: client.ClientSecretPost,
};

function usage(message) {
  console.error(`dynamic_registration: ${message}\n--auth: ` +
                `${Object.keys(clientAuthentication).join(', ')}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      issuer: { type: 'string' },
      scope: { type: 'string' },
      'redirect-uri': { type: 'string' },
      auth: { type: 'string', default: 'client_secret_basic' },
    },
  }));
} catch (error) {
  usage(error.message);
}
if (!values.issuer || !values.scope || !values['redirect-uri']) {
  usage('--issuer, --scope and --redirect-uri are required');
}
const authentication = clientAuthentication[values.auth];
if (!authentication) usage(`unknown client authentication ${values.auth}`);

async function registerAndGetToken() {
  const issuer = new URL(values.issuer);
  // openid-client refuses plain http; the tests serve the issuer on a loopback address only.
  const execute = issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
  const metadata = {
    client_name: 'dynamic_registration.mjs',
    redirect_uris: [values['redirect-uri']],
    grant_types: ['authorization_code', 'client_credentials'],
    token_endpoint_auth_method: values.auth,
    scope: values.scope,
  };
  const config = await client.dynamicClientRegistration(issuer, metadata, authentication(), {
    initialAccessToken: process.env.INITIAL_ACCESS_TOKEN,
    execute,
  });
  const registered = config.clientMetadata();
  const tokens = await client.clientCredentialsGrant(config, { scope: values.scope });
  return {
    client_id: registered.client_id,
    has_client_secret: typeof registered.client_secret === 'string',
    token_endpoint_auth_method: registered.token_endpoint_auth_method,
    grant_types: registered.grant_types,
    scope: registered.scope,
    registration_client_uri: registered.registration_client_uri,
    registration_access_token: registered.registration_access_token,
    token: await describe(config, tokens),
  };
}

try {
  console.log(JSON.stringify(await registerAndGetToken(), null, 2));
} catch (error) {
  console.error(`dynamic_registration: ${await explain(error)}`);
  process.exit(1);
}
