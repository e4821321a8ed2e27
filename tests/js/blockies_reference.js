// Blockies as the public algorithm description (ethereum/blockies) states it, in JavaScript, so
// the numbers are JavaScript's own (int32 shifts, >>>0, doubles). For tests/ui/test_identity.py.
//
// Input: one JSON array of seeds on stdin. Output: one JSON array, per seed
//   {"color": [h, s, l], "bgcolor": [...], "spotcolor": [...], "cells": [64 values]}
'use strict';

function blockie(seed, size) {
  const randseed = [0, 0, 0, 0];
  for (let i = 0; i < seed.length; i++) {
    randseed[i % 4] = ((randseed[i % 4] << 5) - randseed[i % 4]) + seed.charCodeAt(i);
  }
  function rand() {
    const t = randseed[0] ^ (randseed[0] << 11);
    randseed[0] = randseed[1];
    randseed[1] = randseed[2];
    randseed[2] = randseed[3];
    randseed[3] = (randseed[3] ^ (randseed[3] >> 19) ^ t ^ (t >> 8));
    return (randseed[3] >>> 0) / ((1 << 31) >>> 0);
  }
  function colour() {
    const h = Math.floor(rand() * 360);
    const s = (rand() * 60) + 40;
    const l = (rand() + rand() + rand() + rand()) * 25;
    return [h, s, l];
  }
  const color = colour();
  const bgcolor = colour();
  const spotcolor = colour();
  const dataWidth = Math.ceil(size / 2);
  const mirrorWidth = size - dataWidth;
  const cells = [];
  for (let y = 0; y < size; y++) {
    let row = [];
    for (let x = 0; x < dataWidth; x++) row[x] = Math.floor(rand() * 2.3);
    const r = row.slice(0, mirrorWidth);
    r.reverse();
    row = row.concat(r);
    for (const value of row) cells.push(value);
  }
  return { color, bgcolor, spotcolor, cells };
}

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const seeds = JSON.parse(input);
  process.stdout.write(JSON.stringify(seeds.map((seed) => blockie(seed, 8))) + '\n');
});
