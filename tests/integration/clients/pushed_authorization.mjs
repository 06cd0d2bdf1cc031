// A pushed authorization request (RFC 9126) as a web application sends it: openid-client posts
// the parameters, authenticated as the client, to the PAR endpoint, and sends the browser to the
// authorization endpoint with client_id and the request_uri alone; a person signs in and allows in
// Chromium, and the code is exchanged with its PKCE verifier. Then the same authorization URL
// again, which must not lead anywhere: a request_uri is used once.
import * as client from 'openid-client';

import { authorizationRequest, authorize, callbackParameters } from './browser_authorization.mjs';
import { openBrowser, showing } from './browser.mjs';
import { connect, required } from './connect.mjs';
import { catchRedirects } from './redirect_catcher.mjs';
import { describe } from './tokens.mjs';

export async function pushedAuthorization(options) {
  const redirectUri = required(options.redirectUri, '--redirect-uri');
  required(options.username, '--username');
  required(options.password, 'USER_PASSWORD in the environment');
  const config = await connect(options);
  const catcher = await catchRedirects(redirectUri);
  let browser;
  try {
    browser = await openBrowser();
    const person = await browser.newPerson();
    const request = await authorizationRequest(config, options, { pushed: true });
    const allowed = await authorize(person, catcher, request.url, options, 'allow');
    const tokens = await describe(
      config, await client.authorizationCodeGrant(config, allowed.callback, request.checks),
      options.resource);
    const again = await person.goto(request.url.href);
    return {
      authorization_url: Object.fromEntries(request.url.searchParams),
      ...allowed.seen,
      callback: callbackParameters(allowed.callback),
      state: request.checks.expectedState,
      tokens,
      same_request_uri_again: {
        status: again.status(),
        ...(await showing(person)),
        redirected: catcher.pending(),
      },
    };
  } finally {
    await browser?.close();
    await catcher.close();
  }
}
