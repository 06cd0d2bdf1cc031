#!/usr/bin/env node
// Runs one OAuth2 / OpenID Connect flow against an issuer with standard client libraries and
// prints its result as JSON on stdout; a failure is a message on stderr and exit status 1.
//
//   node oauth2_flow.mjs FLOW --issuer URL --client-id ID [--auth METHOD] [--scope S]
//                        [--username U] [--token T] [--resource URL] [--redirect-uri URI]
//                        [--screenshot PNG]
//
// --resource: an API that takes the tokens; the result tells its status with each one, asked as
// soon as the token is issued.
//
// Secrets come from the environment, not the command line: CLIENT_SECRET (the client's) and
// USER_PASSWORD (the --username's).
import { parseArgs } from 'node:util';

import { authorizationCode } from './authorization_code.mjs';
import { authMethods, explain } from './connect.mjs';
import { tokenFlows } from './token_flows.mjs';

const flows = { ...tokenFlows, 'authorization-code': authorizationCode };

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
};

try {
  console.log(JSON.stringify(await flow(options), null, 2));
} catch (error) {
  console.error(`oauth2_flow ${name}: ${await explain(error)}`);
  process.exit(1);
}
