#!/usr/bin/env node
// tflite-runner: runs a .tflite file on the real TensorFlow Lite interpreter
// for qapeft's conformance tests.
//
// The interpreter is the WebAssembly build that ships in the npm package
// @tensorflow/tfjs-tflite 0.0.1-alpha.10 (installed by
// scripts/setup-tflite-runtime.sh). It runs in plain Node.js: we load the
// Emscripten module ourselves and use its TFLiteWebModelRunner binding, so no
// browser and no TensorFlow.js are involved. The runner reads only the model
// file; it knows nothing about qapeft's IR, which is what makes it an
// independent judge of the exporter.
//
// Usage:
//   tflite-runner.js MODEL.tflite [options]
//     -i, --input FILE      one model input (.npy, or .txt with whitespace-
//                           separated integers in row-major order); repeat
//                           once per model input, in model order
//     -o, --output FILE     write output k to FILE (.npy); repeat per output
//         --print           print every output as "out<k> <dtype> <shape>: v v ..."
//         --kernels MODE    builtin: TFLite's own kernels run every node
//                           (XNNPACK disabled, see disableXnnpack below)
//                           xnnpack: the runtime as shipped, whose default
//                           XNNPACK delegate takes the nodes it supports
//         --runtime DIR     where setup-tflite-runtime.sh installed the package
//                           (default $QAPEFT_TFLITE_RUNTIME, else
//                           ~/.cache/qapeft/tflite-runtime)
//         --nodes           after the run, print which kernels ran ("node TYPE
//                           NAME"; XNNPACK-delegated nodes show as one
//                           TfLiteXNNPackDelegate node)
//         --info            print inputs and outputs, run nothing
//         --make-inputs DIR write deterministic pseudo-random inputs matching
//                           the model (DIR/input<k>.npy, full value range of
//                           the type, --seed N) and run nothing
//         --check           load the runtime in both kernel modes and exit
//         --accuracy LABELS.npy
//                           after the run, print "accuracy C/N" for output 0
//                           ([N, K] scores; argmax, first index on ties) against
//                           the int32 class labels [N]
//   tflite-runner.js --compare A.npy B.npy
//                           exit 0 when both arrays have the same type, shape
//                           and bits; else list the first differences, exit 4
// Exit codes: 0 ok, 1 usage or input error, 2 model rejected, 3 inference failed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');

class InputError extends Error {}
function fail(msg) { throw new InputError(msg); }

function parseCommandLine(argv) {
  const opts = { inputs: [], outputs: [], kernels: 'builtin', print: false };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) fail(`${arg} expects a value`);
      return argv[++i];
    };
    switch (arg) {
      case '-i': case '--input': opts.inputs.push(next()); break;
      case '-o': case '--output': opts.outputs.push(next()); break;
      case '--print': opts.print = true; break;
      case '--nodes': opts.nodes = true; break;
      case '--kernels': opts.kernels = next(); break;
      case '--runtime': opts.runtime = next(); break;
      case '--info': opts.info = true; break;
      case '--check': opts.check = true; break;
      case '--make-inputs': opts.makeInputs = next(); break;
      case '--seed': opts.seed = Number(next()); break;
      case '--compare': opts.compare = [next(), next()]; break;
      case '--accuracy': opts.accuracy = next(); break;
      default:
        if (arg.startsWith('-')) fail(`unknown option ${arg}`);
        if (opts.model) fail(`more than one model given (${opts.model}, ${arg})`);
        opts.model = arg;
    }
  }
  if (opts.kernels !== 'builtin' && opts.kernels !== 'xnnpack')
    fail(`--kernels must be builtin or xnnpack, not ${opts.kernels}`);
  if (!opts.model && !opts.check && !opts.compare) fail('no model given');
  return opts;
}

// ----------------------------------------------------------------- tensors
// TFLite dtype name (as the runner binding reports it) -> typed array and
// the numpy descriptor we read and write.
const DTYPES = {
  int8: { array: Int8Array, descr: '|i1', integer: true },
  uint8: { array: Uint8Array, descr: '|u1', integer: true },
  int16: { array: Int16Array, descr: '<i2', integer: true },
  int32: { array: Int32Array, descr: '<i4', integer: true },
  float32: { array: Float32Array, descr: '<f4', integer: false },
};
const DESCR_TO_DTYPE = {};
for (const [name, d] of Object.entries(DTYPES)) {
  DESCR_TO_DTYPE[d.descr] = name;
  DESCR_TO_DTYPE[d.descr.slice(1)] = name;
  DESCR_TO_DTYPE['<' + d.descr.slice(1)] = name;
}

function product(dims) { return dims.reduce((a, b) => a * b, 1); }

// NumPy .npy format, versions 1-3, C order, little endian.
function readNpy(file) {
  if (!fs.existsSync(file)) fail(`cannot open ${file}`);
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
    fail(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = (major === 1 ? 10 : 12) + headerLen;
  const header = bytes.toString('latin1', dataStart - headerLen, dataStart);
  const descr = /'descr':\s*'([^']*)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shape) fail(`${file}: malformed .npy header`);
  if (order[1] === 'True') fail(`${file}: Fortran-order arrays are not supported`);
  const dtype = DESCR_TO_DTYPE[descr[1]];
  if (!dtype) fail(`${file}: unsupported element type ${descr[1]}`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const Arr = DTYPES[dtype].array;
  const count = product(dims);
  if (bytes.length - dataStart < count * Arr.BYTES_PER_ELEMENT) fail(`${file}: data is truncated`);
  // Copy into a fresh, aligned buffer before viewing it as a typed array.
  const raw = new Uint8Array(count * Arr.BYTES_PER_ELEMENT);
  raw.set(bytes.subarray(dataStart, dataStart + raw.length));
  return { dtype, dims, data: new Arr(raw.buffer) };
}

function writeNpy(file, dtype, dims, data) {
  const shapeText = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${DTYPES[dtype].descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // The preamble (10 bytes) plus header plus '\n' must be a multiple of 64.
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble[6] = 1;
  preamble[7] = 0;
  preamble.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Write next to the destination and rename, so a failed run leaves no
  // half-written output behind.
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, Buffer.concat([preamble, Buffer.from(header, 'latin1'), body]));
  fs.renameSync(tmp, file);
}

// A .txt input: integers (or floats for float inputs) separated by white
// space, in row-major order; the shape is the model input's shape.
function readText(file, dtype, dims) {
  if (!fs.existsSync(file)) fail(`cannot open ${file}`);
  const words = fs.readFileSync(file, 'utf8').split(/\s+/).filter((w) => w !== '');
  if (words.length !== product(dims))
    fail(`${file}: ${words.length} values, but the model input has shape [${dims}] (${product(dims)} values)`);
  const out = new DTYPES[dtype].array(words.length);
  words.forEach((w, k) => {
    const v = Number(w);
    if (!Number.isFinite(v) || (DTYPES[dtype].integer && !Number.isInteger(v)))
      fail(`${file}: value #${k} (${w}) is not a valid ${dtype}`);
    out[k] = v;
    if (out[k] !== v && DTYPES[dtype].integer) fail(`${file}: value #${k} (${w}) does not fit in ${dtype}`);
  });
  return out;
}

// ----------------------------------------------------------------- runtime
function runtimeDir(opts) {
  return opts.runtime || process.env.QAPEFT_TFLITE_RUNTIME ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'qapeft', 'tflite-runtime');
}

// --kernels builtin. The shipped interpreter applies XNNPACK as TFLite's
// default delegate; TFLite leaves the graph on its builtin kernels when the
// delegate's xnn_initialize() fails. In the SIMD build of tfjs-tflite
// 0.0.1-alpha.10 that initialisation is inlined and its status is the
// constant of an `i32.const 0` (bytes 41 00) at file offset 0x327ecd,
// directly followed by `i32.const 5` (41 05, xnn_status_unsupported_hardware).
// Turning the 0 into 5 makes the initialisation report unsupported hardware
// and changes nothing else. We check the file hash and the bytes before
// patching, and after the run that no XNNPACK node executed.
const SIMD_WASM_SHA256 = '40f49cc2d458ec09bb43db160e9e55f4b3c790a4c1d1fa280f8a61796296cf8e';
const XNNPACK_INIT_STATUS_OFFSET = 0x327ecd;
const XNNPACK_INIT_SITE = [0x41, 0x00, 0x41, 0x05];

function disableXnnpack(wasm) {
  const sha = crypto.createHash('sha256').update(wasm).digest('hex');
  if (sha !== SIMD_WASM_SHA256)
    fail(`--kernels builtin needs the WASM file of @tensorflow/tfjs-tflite 0.0.1-alpha.10 (sha256 ${SIMD_WASM_SHA256}), found ${sha}`);
  XNNPACK_INIT_SITE.forEach((b, k) => {
    if (wasm[XNNPACK_INIT_STATUS_OFFSET + k] !== b) fail('unexpected bytes at the XNNPACK initialisation site');
  });
  wasm[XNNPACK_INIT_STATUS_OFFSET + 1] = 0x05;
}

async function loadInterpreter(dir, kernels, log) {
  const wasmDir = path.join(dir, 'node_modules', '@tensorflow', 'tfjs-tflite', 'wasm');
  const wasmFile = path.join(wasmDir, 'tflite_web_api_cc_simd.wasm');
  if (!fs.existsSync(wasmFile))
    fail(`the TFLite runtime is not installed in ${dir}; run scripts/setup-tflite-runtime.sh`);
  const wasm = Buffer.from(fs.readFileSync(wasmFile));
  if (kernels === 'builtin') disableXnnpack(wasm);
  const factory = require(path.join(wasmDir, 'tflite_web_api_cc_simd.js'));
  return factory({ wasmBinary: wasm, print: log, printErr: log });
}

function toArray(vec) {
  const out = [];
  for (let k = 0; k < vec.size(); ++k) out.push(vec.get(k));
  vec.delete();
  return out;
}

function describeTensor(t) {
  return { name: t.name, dtype: t.dataType, dims: t.shape === '' ? [] : t.shape.split(',').map(Number) };
}

// Bit-exact comparison of two .npy files.
function compareNpy(fileA, fileB) {
  const a = readNpy(fileA);
  const b = readNpy(fileB);
  if (a.dtype !== b.dtype) fail(`${fileA} is ${a.dtype} but ${fileB} is ${b.dtype}`);
  if (a.dims.join(',') !== b.dims.join(',')) fail(`${fileA} has shape [${a.dims}] but ${fileB} has [${b.dims}]`);
  const bytesA = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const bytesB = Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  if (bytesA.equals(bytesB)) {
    process.stdout.write(`identical: ${a.data.length} ${a.dtype} values\n`);
    return 0;
  }
  let count = 0;
  for (let k = 0; k < a.data.length; ++k) {
    if (Object.is(a.data[k], b.data[k])) continue;
    if (count < 10) process.stdout.write(`mismatch at flat index ${k}: ${a.data[k]} vs ${b.data[k]}\n`);
    ++count;
  }
  process.stdout.write(`${count} of ${a.data.length} values differ\n`);
  return 4;
}

// Top-1 accuracy of [N, K] scores against [N] labels; the first maximum
// wins ties, as the simulator's eval does.
function accuracy(scores, dims, labelsFile) {
  if (dims.length !== 2) fail(`--accuracy needs a [N, K] output, got [${dims}]`);
  const labels = readNpy(labelsFile);
  if (labels.dims.length !== 1 || labels.dims[0] !== dims[0])
    fail(`${labelsFile}: shape [${labels.dims}], but the output has ${dims[0]} rows`);
  const [n, k] = dims;
  let correct = 0;
  for (let r = 0; r < n; ++r) {
    let best = 0;
    for (let c = 1; c < k; ++c) if (scores[r * k + c] > scores[r * k + best]) best = c;
    if (best === Number(labels.data[r])) ++correct;
  }
  process.stdout.write(`accuracy ${correct}/${n}\n`);
}

// Deterministic inputs (a 32-bit LCG), so every tool sees the same data.
function makeInputs(dir, inputs, seed) {
  fs.mkdirSync(dir, { recursive: true });
  let state = (seed >>> 0) || 1;
  const next = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state; };
  inputs.forEach((t, k) => {
    const d = describeTensor(t);
    if (!DTYPES[d.dtype]) fail(`input ${k} has type ${d.dtype}, which the runner cannot generate`);
    const out = new DTYPES[d.dtype].array(product(d.dims));
    for (let i = 0; i < out.length; ++i) {
      const r = next();
      if (d.dtype === 'float32') out[i] = (r / 4294967296) * 2 - 1;
      else out[i] = r >>> 16; // wraps into the type's full range
    }
    writeNpy(path.join(dir, `input${k}.npy`), d.dtype, d.dims, out);
  });
}

async function main() {
  const opts = parseCommandLine(process.argv.slice(2));
  if (opts.compare) return compareNpy(opts.compare[0], opts.compare[1]);
  const dir = runtimeDir(opts);
  const log = [];
  const sink = (line) => log.push(String(line));

  if (opts.check) {
    for (const kernels of ['builtin', 'xnnpack']) {
      const M = await loadInterpreter(dir, kernels, sink);
      if (typeof M.TFLiteWebModelRunner.CreateFromBufferAndOptions !== 'function')
        fail('the runtime has no TFLiteWebModelRunner binding');
    }
    return 0;
  }

  if (!fs.existsSync(opts.model)) fail(`cannot open model ${opts.model}`);
  const model = fs.readFileSync(opts.model);
  const M = await loadInterpreter(dir, opts.kernels, sink);
  const ptr = M._malloc(model.length);
  M.HEAPU8.set(model, ptr);
  const created = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(
    ptr, model.length, { numThreads: 1, enableProfiling: true, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) {
    process.stderr.write(`tflite-runner: model rejected by TFLite: ${created.errorMessage()}\n${log.join('\n')}\n`);
    return 2;
  }
  const runner = created.value();
  const inputs = toArray(runner.GetInputs());
  const outputs = toArray(runner.GetOutputs());

  if (opts.info) {
    inputs.forEach((t, k) => { const d = describeTensor(t); process.stdout.write(`input${k} ${d.name} ${d.dtype} [${d.dims}]\n`); });
    outputs.forEach((t, k) => { const d = describeTensor(t); process.stdout.write(`output${k} ${d.name} ${d.dtype} [${d.dims}]\n`); });
    return 0;
  }

  if (opts.makeInputs) {
    makeInputs(opts.makeInputs, inputs, opts.seed === undefined ? 1 : opts.seed);
    return 0;
  }

  if (opts.inputs.length !== inputs.length)
    fail(`the model has ${inputs.length} input(s) but ${opts.inputs.length} were given`);
  if (opts.outputs.length > outputs.length)
    fail(`the model has ${outputs.length} output(s) but ${opts.outputs.length} output files were given`);

  inputs.forEach((t, k) => {
    const want = describeTensor(t);
    if (!DTYPES[want.dtype]) fail(`input ${k} has type ${want.dtype}, which the runner cannot feed`);
    const file = opts.inputs[k];
    let data;
    if (/\.npy$/i.test(file)) {
      const arr = readNpy(file);
      if (arr.dtype !== want.dtype) fail(`${file}: element type ${arr.dtype}, but model input ${k} is ${want.dtype}`);
      if (arr.dims.join(',') !== want.dims.join(','))
        fail(`${file}: shape [${arr.dims}], but model input ${k} has shape [${want.dims}]`);
      data = arr.data;
    } else {
      data = readText(file, want.dtype, want.dims);
    }
    t.data().set(data);
  });

  if (!runner.Infer()) {
    process.stderr.write(`tflite-runner: inference failed\n${log.join('\n')}\n`);
    return 3;
  }

  // In builtin mode no node may have been delegated; if one was, the patch
  // did not take and the comparison would be against the wrong rounding.
  const profile = toArray(runner.GetProfilingResults());
  const executed = profile.map((p) => p.nodeType);
  if (opts.nodes) {
    const seen = new Set();
    for (const p of profile) {
      const line = `node ${p.nodeType} ${p.nodeName}`;
      if (!seen.has(line)) { seen.add(line); process.stdout.write(line + '\n'); }
    }
  }
  if (opts.kernels === 'builtin' &&
      (executed.some((n) => /xnnpack/i.test(n)) || log.some((l) => /XNNPACK delegate/i.test(l)))) {
    process.stderr.write('tflite-runner: XNNPACK ran although --kernels builtin was given\n');
    return 3;
  }

  outputs.forEach((t, k) => {
    const d = describeTensor(t);
    if (!DTYPES[d.dtype]) fail(`output ${k} has type ${d.dtype}, which the runner cannot read`);
    const view = t.data();
    const copy = new DTYPES[d.dtype].array(view.length);
    copy.set(view);
    if (k < opts.outputs.length) writeNpy(opts.outputs[k], d.dtype, d.dims, copy);
    if (opts.print) process.stdout.write(`out${k} ${d.dtype} [${d.dims}]: ${Array.from(copy).join(' ')}\n`);
    if (k === 0 && opts.accuracy) accuracy(copy, d.dims, opts.accuracy);
  });
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  if (err instanceof InputError) {
    process.stderr.write(`tflite-runner: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`tflite-runner: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 3;
  }
});
