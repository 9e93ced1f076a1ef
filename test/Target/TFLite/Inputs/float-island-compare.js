#!/usr/bin/env node
// Compares two float32 .npy files (the real runtime's output and
// qapeft-sim's) for the f32-island conformance tests:
//
//   float-island-compare.js A.npy B.npy MAX_ULPS
//
// Prints "float32: N values, K identical, max difference U ulp" and exits 1
// when any pair differs by more than MAX_ULPS units in the last place (the
// distance between the two floats' positions on the float32 line), or when
// the files are not float32 of the same shape. ULPs rather than an absolute
// bound, because softmax outputs span many orders of magnitude.
'use strict';
const fs = require('fs');

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']*)'/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !/^[<|]?f4$/.test(descr[1])) throw new Error(`${file}: not float32`);
  const bytes = buf.subarray(start);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return { shape: shape ? shape[1].replace(/\s/g, '') : '', data };
}

// Position of a float32 on a monotone integer line (negative floats below
// positive ones), so that neighbours differ by 1.
function ordinal(x) {
  const i = new Int32Array(new Float32Array([x]).buffer)[0];
  return i < 0 ? -2147483648 - i : i;
}

const [a, b, limit] = process.argv.slice(2);
if (!a || !b || limit === undefined) {
  process.stderr.write('usage: float-island-compare.js A.npy B.npy MAX_ULPS\n');
  process.exit(2);
}
try {
  const x = readNpy(a), y = readNpy(b);
  if (x.shape !== y.shape) throw new Error(`shapes (${x.shape}) and (${y.shape}) differ`);
  let same = 0, worst = 0;
  for (let k = 0; k < x.data.length; ++k) {
    if (Number.isNaN(x.data[k]) || Number.isNaN(y.data[k])) { worst = Infinity; continue; }
    const d = Math.abs(ordinal(x.data[k]) - ordinal(y.data[k]));
    if (d === 0) ++same;
    worst = Math.max(worst, d);
  }
  process.stdout.write(`float32: ${x.data.length} values, ${same} identical, max difference ${worst} ulp\n`);
  process.exit(worst <= Number(limit) ? 0 : 1);
} catch (e) {
  process.stderr.write(`float-island-compare: ${e.message}\n`);
  process.exit(2);
}
