// Reference tallies from snapshot.js itself, for govdesk's conformance tests and benchmark.
//
// Protocol: one JSON request per input line, one JSON answer per output line.
//   {"op": "tally", "type", "choices", "votes", "strategies": <count>, "variant": "current"|"legacy"}
//     -> {"scores", "scores_by_strategy", "scores_total"} (every number as a string, so -0, NaN
//        and Infinity survive and floats round-trip exactly)
//   {"op": "valid", "type", "choice", "choices", "variant"} -> {"valid": bool}
//   {"op": "bench", "file": path, ...tally fields, "repeat": k}
//     -> tally fields plus {"ms": [k timings], "parse_ms": [k timings]}; the file holds
//        {"votes": [...]}; "ms" times getScores + getScoresByStrategy + getScoresTotal only,
//        "parse_ms" times JSON.parse of the file's text (read beforehand).
// Any failure -> {"error": message}.
// Legacy Copeland (snapshot.js 0.14.20) comes from $GOVDESK_SNAPSHOT_LEGACY (a package dir),
// or the npm alias "snapshot-js-legacy" if installed.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const root = path.resolve(__dirname, '..', '..', 'node_modules');
const snapshot = require(path.join(root, '@snapshot-labs', 'snapshot.js'));

function loadLegacy() {
  const candidates = [process.env.GOVDESK_SNAPSHOT_LEGACY, path.join(root, 'snapshot-js-legacy')];
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      return require(dir).utils.voting;
    } catch (e) {
      // try the next location
    }
  }
  return null;
}
const legacy = loadLegacy();

function votingClass(type, variant) {
  if (type === 'copeland' && variant === 'legacy') {
    if (!legacy) throw new Error('legacy snapshot.js unavailable');
    return legacy.copeland;
  }
  const cls = snapshot.utils.voting[type];
  if (!cls) throw new Error('unknown voting type ' + type);
  return cls;
}

const num = (x) => (Object.is(x, -0) ? '-0' : String(x));

function tally(req, votes) {
  const Cls = votingClass(req.type, req.variant);
  const strategies = Array.from({ length: req.strategies }, () => ({}));
  const instance = new Cls({ choices: req.choices }, votes, strategies, null);
  const t0 = process.hrtime.bigint();
  const scores = instance.getScores();
  const byStrategy = instance.getScoresByStrategy();
  const total = instance.getScoresTotal();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    scores: scores.map(num),
    scores_by_strategy: byStrategy.map((row) => row.map(num)),
    scores_total: num(total),
    ms
  };
}

function answer(req) {
  if (req.op === 'valid') {
    return { valid: votingClass(req.type, req.variant).isValidChoice(req.choice, req.choices) };
  }
  if (req.op === 'tally') {
    const out = tally(req, req.votes);
    delete out.ms;
    return out;
  }
  if (req.op === 'bench') {
    const text = fs.readFileSync(req.file, 'utf8');
    const parseTimings = [];
    let votes = null;
    for (let i = 0; i < (req.repeat || 1); i++) {
      const p0 = process.hrtime.bigint();
      votes = JSON.parse(text).votes;
      parseTimings.push(Number(process.hrtime.bigint() - p0) / 1e6);
    }
    const timings = [];
    let out = null;
    for (let i = 0; i < (req.repeat || 1); i++) {
      out = tally(req, votes);
      timings.push(out.ms);
    }
    delete out.ms;
    out.ms = timings;
    out.parse_ms = parseTimings;
    return out;
  }
  throw new Error('unknown op ' + req.op);
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let out;
  try {
    out = answer(JSON.parse(line));
  } catch (e) {
    out = { error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
});
