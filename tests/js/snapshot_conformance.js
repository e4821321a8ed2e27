// snapshot.js as the reference for govdesk's signed Snapshot messages.
//
// Reads one JSON array of envelopes {address, sig, data: {domain, types, message}} on stdin and
// prints one JSON array: for each, {hash: utils.getHash(data), verify: true|false|"error: ...",
// typesKind: the hashedTypes.json entry for sha256(JSON.stringify(types)) or null}.
// utils.verify throws when the signature does not recover to the address (it then tries contract
// wallets over the network), so an exception counts as "not valid".
'use strict';
const crypto = require('crypto');
const path = require('path');

const root = path.resolve(__dirname, '..', '..', 'node_modules', '@snapshot-labs', 'snapshot.js');
const snapshot = require(root);
const hashedTypes = require(path.join(root, 'src', 'sign', 'hashedTypes.json'));

function typesKind(types) {
  const copy = { ...types };
  delete copy.EIP712Domain;
  const hash = crypto.createHash('sha256').update(JSON.stringify(copy)).digest('hex');
  return hashedTypes[hash] || null;
}

async function check(envelope) {
  const out = { hash: snapshot.utils.getHash(envelope.data), typesKind: typesKind(envelope.data.types) };
  try {
    const verdict = snapshot.utils.verify(envelope.address, envelope.sig, envelope.data, '1', {
      timeout: 2000,
      broviderUrl: 'http://127.0.0.1:9'
    });
    out.verify = await Promise.race([
      verdict,
      new Promise((resolve) => setTimeout(() => resolve('error: timeout'), 5000))
    ]);
  } catch (e) {
    out.verify = 'error: ' + (e && e.message ? e.message.slice(0, 80) : String(e));
  }
  return out;
}

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const envelopes = JSON.parse(input);
  const results = [];
  for (const envelope of envelopes) results.push(await check(envelope));
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
});
