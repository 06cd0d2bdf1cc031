// Keys that sign JWTs a client makes itself: a private_key_jwt client's assertions and a trusted
// issuer's identity assertions. The test makes each pair with make_key.mjs, writes the public
// half into the gateway's config and hands the private half to the flow in the environment.
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

const ALGORITHM = 'ES256';

// A new key pair as JWKs under `kid`: the private one for a flow, the public one for the config.
export async function makeKeyPair(kid) {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = async (key) => ({ ...(await exportJWK(key)), kid, alg: ALGORITHM });
  return { private_jwk: await jwk(privateKey), public_jwk: await jwk(publicKey) };
}

// A private JWK, as make_key.mjs printed it, as the { key, kid } that openid-client's
// PrivateKeyJwt and identityAssertion below sign with.
export async function signingKey(jwk) {
  return { key: await importJWK(jwk, jwk.alg ?? ALGORITHM), kid: jwk.kid };
}

// What a trusted identity provider says about `subject`, for `audience`: the assertion of the
// JWT bearer grant (RFC 7523 section 2.1) and a token exchange's actor token. Short-lived, with
// a jti of its own, as the key manager accepts each one once.
export function identityAssertion(signingKey, { issuer, subject, audience }) {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, kid: signingKey.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(subject)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(crypto.randomUUID())
    .sign(signingKey.key);
}
