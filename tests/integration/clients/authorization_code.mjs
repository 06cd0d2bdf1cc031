// The authorization-code flow with PKCE (S256) as a web application runs it: openid-client builds
// the authorization URL, a person signs in and decides in Chromium, the browser comes back to the
// redirect_uri, and openid-client exchanges the code, checking state, iss, PKCE and the ID token.
//
// Three authorizations: the first signs in and allows (then the same code again, which must be
// refused); the second, in the same browser, should need no sign-in (its code is then exchanged
// with a wrong code_verifier, then with the right one: both must be refused, the failed check
// having used the code up); the third, in a new browser, denies.
import * as client from 'openid-client';

import { openBrowser, showing } from './browser.mjs';
import { connect, refusal, required } from './connect.mjs';
import { catchRedirects } from './redirect_catcher.mjs';
import { describe } from './tokens.mjs';

const LOGIN = 'input[name="password"]';

// One authorization request: its URL and the secrets the exchange must check against.
async function authorizationRequest(config, options) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = {
    pkceCodeVerifier: verifier,
    expectedState: client.randomState(),
    expectedNonce: client.randomNonce(),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: options.scope ?? 'openid read',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
  });
  return { url, checks };
}

// The browser at the authorization URL, through whichever pages the server shows, to the
// redirect_uri: signs in when asked, then presses `decision`. Returns the callback URL and
// what the person saw on the way.
async function authorize(page, catcher, url, options, decision, screenshot) {
  const seen = { login_shown: false, decision_shown: false };
  await page.goto(url.href);
  if (!catcher.pending()) {
    seen.page = await showing(page);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    seen.login_shown = (await page.locator(LOGIN).count()) > 0;
    if (seen.login_shown) {
      await page.fill('input[name="username"]', options.username);
      await page.fill(LOGIN, options.password);
    }
    const button = page.locator(`button[name="decision"][value="${decision}"]`);
    seen.decision_shown = (await button.count()) > 0;
    if (!seen.decision_shown) {
      throw new Error(`no ${decision} button on ${JSON.stringify(seen.page)}`);
    }
    await button.click();
  }
  try {
    return { callback: await catcher.next(), seen };
  } catch (error) {
    throw new Error(`${error.message} after ${decision}; the browser shows ` +
                    JSON.stringify(await showing(page)));
  }
}

function callbackParameters(callback) {
  return Object.fromEntries(callback.searchParams);
}

export async function authorizationCode(options) {
  const redirectUri = required(options.redirectUri, '--redirect-uri');
  required(options.username, '--username');
  required(options.password, 'USER_PASSWORD in the environment');
  const config = await connect(options);
  const catcher = await catchRedirects(redirectUri);
  const browsers = [];
  try {
    const signedIn = await openBrowser();
    browsers.push(signedIn);

    const first = await authorizationRequest(config, options);
    const allowed = await authorize(signedIn.page, catcher, first.url, options, 'allow',
                                    options.screenshot);
    const tokens = await describe(
      config, await client.authorizationCodeGrant(config, allowed.callback, first.checks),
      options.resource);
    const codeAgain = await refusal(
      client.authorizationCodeGrant(config, allowed.callback, first.checks));

    const second = await authorizationRequest(config, options);
    const again = await authorize(signedIn.page, catcher, second.url, options, 'allow');
    const wrongVerifier = await refusal(client.authorizationCodeGrant(config, again.callback, {
      ...second.checks,
      pkceCodeVerifier: client.randomPKCECodeVerifier(),
    }));
    const rightVerifierAfter = await refusal(
      client.authorizationCodeGrant(config, again.callback, second.checks));

    const stranger = await openBrowser();
    browsers.push(stranger);
    const third = await authorizationRequest(config, options);
    const denied = await authorize(stranger.page, catcher, third.url, options, 'deny');

    return {
      allowed: {
        ...allowed.seen,
        callback: callbackParameters(allowed.callback),
        tokens,
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
    for (const browser of browsers) await browser.close();
    await catcher.close();
  }
}
