// A person's authorization in the browser, as the authorization-code flow and pushed authorization
// requests share it: the request with its PKCE, state and nonce, and the pages from the
// authorization URL back to the client's redirect_uri.
import * as client from 'openid-client';

import { showing } from './browser.mjs';

const LOGIN = 'input[name="password"]';

// One authorization request: its URL and the secrets the exchange must check against. `pushed`:
// the parameters go to the pushed authorization request endpoint (RFC 9126) first, and the URL
// carries only client_id and the request_uri it answered.
export async function authorizationRequest(config, options, { pushed = false } = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const checks = {
    pkceCodeVerifier: verifier,
    expectedState: client.randomState(),
    expectedNonce: client.randomNonce(),
  };
  const build = pushed ? client.buildAuthorizationUrlWithPAR : client.buildAuthorizationUrl;
  const url = await build(config, {
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
export async function authorize(page, catcher, url, options, decision, screenshot) {
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

export function callbackParameters(callback) {
  return Object.fromEntries(callback.searchParams);
}
