// The device authorization grant (RFC 8628) as a TV app runs it with openid-client: it asks for a
// user code, then polls the token endpoint at the interval the server gave until the person has
// answered on the verification page, which here is done with fetch, as a phone's browser would.
//
// Every poll openid-client sends is recorded as the server answered it, with its time. The
// second one is preceded by a poll of another copy of the device with the same device code,
// which makes openid-client's own poll come too soon: the server answers slow_down, and
// openid-client must then wait its interval plus 5 seconds (RFC 8628 section 3.5). The person
// allows only then, so that the copy cannot take the tokens.
import * as client from 'openid-client';

import { connect, required, scopeParameter } from './connect.mjs';
import { describe } from './tokens.mjs';

const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
// ms that the polling may take: the sequence above needs the interval three times, plus 5 s,
// and a server that never answers slow_down would have the device poll until the code expires.
const POLLING = 30_000;

async function errorOf(response) {
  if (response.ok) return null;
  return (await response.clone().json().catch(() => ({}))).error ?? null;
}

// The person at verification_uri_complete: signs in and allows, on the form the page shows.
async function allowOnTheVerificationPage(authorization, options) {
  const page = await (await fetch(authorization.verification_uri_complete)).text();
  const pending = page.match(/name="authorization_request" value="([^"]+)"/);
  if (!pending) throw new Error(`no pending request on the verification page: ${page}`);
  const answer = await fetch(authorization.verification_uri, {
    method: 'POST',
    body: new URLSearchParams({
      authorization_request: pending[1],
      username: options.username,
      password: options.password,
      decision: 'allow',
    }),
  });
  const heading = (await answer.text()).match(/<h1>([^<]*)<\/h1>/);
  return { status: answer.status, heading: heading?.[1] ?? null };
}

export async function deviceAuthorization(options) {
  required(options.username, '--username');
  required(options.password, 'USER_PASSWORD in the environment');
  const config = await connect(options);
  const authorization = await client.initiateDeviceAuthorization(config, scopeParameter(options));
  const started = Date.now();
  const polls = [];
  let otherCopyPoll;
  let approval;
  // openid-client's requests go through this fetch: the polls are recorded, and the other
  // copy's poll and the person's answer are made at their point in the sequence.
  config[client.customFetch] = async (url, init) => {
    const polling = new URLSearchParams(init.body).get('grant_type') === DEVICE_CODE;
    if (!polling) return fetch(url, init);
    if (polls.length === 1) {
      otherCopyPoll = { error: await errorOf(await fetch(url, init)) };
    }
    const response = await fetch(url, init);
    const error = await errorOf(response);
    polls.push({ after_ms: Date.now() - started, status: response.status, error });
    if (error === 'slow_down') approval = await allowOnTheVerificationPage(authorization, options);
    return response;
  };
  let tokens;
  try {
    tokens = await client.pollDeviceAuthorizationGrant(config, authorization, undefined,
                                                       { signal: AbortSignal.timeout(POLLING) });
  } catch (error) {
    throw new Error(`no tokens (${error.message}) after the polls ${JSON.stringify(polls)}`);
  } finally {
    config[client.customFetch] = undefined;  // openid-client's own fetch again
  }
  return {
    authorization: {
      verification_uri: authorization.verification_uri,
      user_code: authorization.user_code,
      interval: authorization.interval,
      expires_in: authorization.expires_in,
    },
    polls,
    other_copy_poll: otherCopyPoll,
    approval,
    tokens: await describe(config, tokens, options.resource),
  };
}
