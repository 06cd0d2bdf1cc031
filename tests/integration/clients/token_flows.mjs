// The flows that need no browser: each takes the CLI's options, asks the key manager through
// openid-client, and returns what the test asserts on. Refusals the flow provokes on purpose are
// reported, not thrown: whether they happened is the test's to judge.
import * as client from 'openid-client';

import { connect, refusal, required, scopeParameter } from './connect.mjs';
import { describe } from './tokens.mjs';

const DOWNSCOPE = 'urn:gatehouse:grant-type:downscope';

// Both discovery documents, as openid-client read them.
async function discovery(options) {
  const oidc = await connect({ ...options, algorithm: 'oidc' });
  const oauth2 = await connect({ ...options, algorithm: 'oauth2' });
  return {
    openid_configuration: oidc.serverMetadata(),
    authorization_server: oauth2.serverMetadata(),
  };
}

async function clientCredentials(options) {
  const config = await connect(options);
  const tokens = await client.clientCredentialsGrant(config, scopeParameter(options));
  return describe(config, tokens, options.resource);
}

// The password grant, one refresh, then the first refresh token again: rotation must have spent
// it, and its reuse revokes the family, so the newest refresh token must be refused after that.
async function passwordRefresh(options) {
  const config = await connect(options);
  const issued = await client.genericGrantRequest(config, 'password', {
    username: required(options.username, '--username'),
    password: required(options.password, 'USER_PASSWORD in the environment'),
    ...scopeParameter(options),
  });
  const refreshed = await client.refreshTokenGrant(config, issued.refresh_token);
  // Both described, and the resource asked with them, before the reuse, which may revoke them.
  return {
    issued: await describe(config, issued, options.resource),
    refreshed: await describe(config, refreshed, options.resource),
    first_refresh_token_again: await refusal(
      client.refreshTokenGrant(config, issued.refresh_token)),
    newest_refresh_token_after_reuse: await refusal(
      client.refreshTokenGrant(config, refreshed.refresh_token)),
  };
}

async function introspect(options) {
  const token = required(options.token, '--token');
  return client.tokenIntrospection(await connect(options), token);
}

async function revoke(options) {
  const token = required(options.token, '--token');
  await client.tokenRevocation(await connect(options), token);
  return { revoked: true };
}

// A client-credentials token traded for one with --scope alone; then that narrow token traded
// for its scope plus the wider one's, which the grant must refuse.
async function downscope(options) {
  const narrow = required(options.scope, '--scope');
  const config = await connect(options);
  const held = await client.clientCredentialsGrant(config);
  const downscoped = await client.genericGrantRequest(config, DOWNSCOPE, {
    subject_token: held.access_token,
    scope: narrow,
  });
  return {
    held: await describe(config, held, options.resource),
    downscoped: await describe(config, downscoped, options.resource),
    widened: await refusal(client.genericGrantRequest(config, DOWNSCOPE, {
      subject_token: downscoped.access_token,
      scope: held.scope,
    })),
  };
}

export const tokenFlows = {
  discovery,
  'client-credentials': clientCredentials,
  'password-refresh': passwordRefresh,
  introspect,
  revoke,
  downscope,
};
