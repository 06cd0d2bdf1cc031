// The authorization-code flow with PKCE (S256) as a web application runs it: openid-client builds
// the authorization URL, a person signs in and decides in Chromium, the browser comes back to the
// redirect_uri, and openid-client exchanges the code, checking state, iss, PKCE and the ID token.
//
// Three authorizations: the first signs in and allows (its access token then asks the userinfo
// endpoint, and the same code is presented again, which must be refused); the second, in the
// same browser, should need no sign-in (its code is then exchanged with a wrong code_verifier,
// then with the right one: both must be refused, the failed check having used the code up); the
// third, by another person (a browser context without its cookies), denies.
import * as client from 'openid-client';

import { authorizationRequest, authorize, callbackParameters } from './browser_authorization.mjs';
import { openBrowser } from './browser.mjs';
import { connect, refusal, required } from './connect.mjs';
import { catchRedirects } from './redirect_catcher.mjs';
import { describe } from './tokens.mjs';

export async function authorizationCode(options) {
  const redirectUri = required(options.redirectUri, '--redirect-uri');
  required(options.username, '--username');
  required(options.password, 'USER_PASSWORD in the environment');
  const config = await connect(options);
  const catcher = await catchRedirects(redirectUri);
  let browser;
  try {
    browser = await openBrowser();
    const signedIn = await browser.newPerson();

    const first = await authorizationRequest(config, options);
    const allowed = await authorize(signedIn, catcher, first.url, options, 'allow',
                                    options.screenshot);
    const response = await client.authorizationCodeGrant(config, allowed.callback, first.checks);
    const tokens = await describe(config, response, options.resource);
    // Asked before the code is presented again, which revokes the access token. openid-client
    // checks that the answer is about the ID token's subject.
    const userinfo = await client.fetchUserInfo(config, response.access_token,
                                                response.claims().sub);
    const codeAgain = await refusal(
      client.authorizationCodeGrant(config, allowed.callback, first.checks));

    const second = await authorizationRequest(config, options);
    const again = await authorize(signedIn, catcher, second.url, options, 'allow');
    const wrongVerifier = await refusal(client.authorizationCodeGrant(config, again.callback, {
      ...second.checks,
      pkceCodeVerifier: client.randomPKCECodeVerifier(),
    }));
    const rightVerifierAfter = await refusal(
      client.authorizationCodeGrant(config, again.callback, second.checks));

    const stranger = await browser.newPerson();
    const third = await authorizationRequest(config, options);
    const denied = await authorize(stranger, catcher, third.url, options, 'deny');

    return {
      allowed: {
        ...allowed.seen,
        callback: callbackParameters(allowed.callback),
        tokens,
        userinfo,
        same_code_again: codeAgain,
      },
      again_in_the_same_browser: {
        ...again.seen,
        callback: callbackParameters(again.callback),
        wrong_code_verifier: wrongVerifier,
        right_code_verifier_after: rightVerifierAfter,
      },
      denied: {
        ...denied.seen,
        callback: callbackParameters(denied.callback),
        exchange: await refusal(client.authorizationCodeGrant(config, denied.callback,
                                                              third.checks)),
      },
      state: { allowed: first.checks.expectedState, denied: third.checks.expectedState },
    };
  } finally {
    await browser?.close();
    await catcher.close();
  }
}
