#!/usr/bin/env node
// Runs one OAuth2 / OpenID Connect flow against an issuer with standard client libraries and
// prints its result as JSON on stdout; a failure is a message on stderr and exit status 1.
//
//   node oauth2_flow.mjs FLOW --issuer URL --client-id ID [--auth METHOD] [--scope S]
//                        [--username U] [--token T] [--resource URL] [--redirect-uri URI]
//                        [--screenshot PNG] [--idp ISS] [--actor SUB]
//
// --resource: an API that takes the tokens; the result tells its status with each one, asked as
// soon as the token is issued.
//
// --idp: the issuer of the trusted identity provider whose assertions the JWT bearer grant
// (about --username) and token exchange (about the --actor) present.
//
// Secrets come from the environment, not the command line: CLIENT_SECRET (the client's),
// CLIENT_PRIVATE_KEY (the private_key_jwt client's, a private JWK as make_key.mjs prints it),
// IDP_PRIVATE_KEY (the identity provider's, likewise) and USER_PASSWORD (the --username's).
import { parseArgs } from 'node:util';

import { assertionFlows } from './assertion_flows.mjs';
import { authMethods, explain } from './connect.mjs';
import { deviceAuthorization } from './device_authorization.mjs';
import { signingKey } from './keys.mjs';
import { tokenFlows } from './token_flows.mjs';

// A flow whose module is loaded only when it runs: the browser's flows load playwright-core,
// which takes most of a second, a cost every other flow's process would pay for nothing.
function loadedWhenRun(module, name) {
  return async (options) => (await import(module))[name](options);
}

const flows = {
  ...tokenFlows,
  ...assertionFlows,
  'authorization-code': loadedWhenRun('./authorization_code.mjs', 'authorizationCode'),
  'pushed-authorization': loadedWhenRun('./pushed_authorization.mjs', 'pushedAuthorization'),
  device: deviceAuthorization,
};

function usage(message) {
  console.error(`oauth2_flow: ${message}\nflows: ${Object.keys(flows).join(', ')}; ` +
                `--auth: ${authMethods.join(', ')}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      auth: { type: 'string', default: 'client_secret_basic' },
      scope: { type: 'string' },
      username: { type: 'string' },
      token: { type: 'string' },
      resource: { type: 'string' },
      'redirect-uri': { type: 'string' },
      screenshot: { type: 'string' },
      idp: { type: 'string' },
      actor: { type: 'string' },
    },
  });
} catch (error) {
  usage(error.message);
}
const [name, ...extra] = parsed.positionals;
const flow = flows[name];
if (!flow || extra.length) {
  usage(`one flow expected, got ${parsed.positionals.join(' ') || 'none'}`);
}
const { values } = parsed;
if (!values.issuer || !values['client-id']) usage('--issuer and --client-id are required');

// A private JWK from the environment, ready to sign; undefined when the variable is unset.
async function privateKeyFrom(variable) {
  const json = process.env[variable];
  return json === undefined ? undefined : signingKey(JSON.parse(json));
}

const options = {
  issuer: values.issuer,
  clientId: values['client-id'],
  secret: process.env.CLIENT_SECRET,
  auth: values.auth,
  scope: values.scope,
  username: values.username,
  password: process.env.USER_PASSWORD,
  token: values.token,
  resource: values.resource,
  redirectUri: values['redirect-uri'],
  screenshot: values.screenshot,
  privateKey: await privateKeyFrom('CLIENT_PRIVATE_KEY'),
  idpKey: await privateKeyFrom('IDP_PRIVATE_KEY'),
  idp: values.idp,
  actor: values.actor,
};

try {
  console.log(JSON.stringify(await flow(options), null, 2));
} catch (error) {
  console.error(`oauth2_flow ${name}: ${await explain(error)}`);
  process.exit(1);
}
