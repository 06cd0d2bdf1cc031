#!/usr/bin/env node
// Prints a new ES256 key pair as JSON: {"private_jwk": {...}, "public_jwk": {...}}.
//
//   node make_key.mjs KID
import { makeKeyPair } from './keys.mjs';

const [kid, ...extra] = process.argv.slice(2);
if (!kid || extra.length) {
  console.error('make_key: one key id expected');
  process.exit(2);
}
console.log(JSON.stringify(await makeKeyPair(kid)));
