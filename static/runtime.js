// Pyodide's two big files as brotli, decoded here as their bytes arrive (publish/brotli.py).
// A static host such as GitHub Pages gzips on the fly and cannot send a Content-Encoding,
// so the page decodes them itself: 4.2 MB instead of 5.2 MB on a cold load.
//
// pyodide.mjs fetches both through the global fetch, looked up when it calls it, and hands
// the wasm's response to WebAssembly.instantiateStreaming. install() starts both downloads
// (boot.js has already asked for them) and puts a fetch in place that answers exactly those
// two URLs, once each, with the decoded stream; the original fetch is back once both are
// taken. No file of npm's is patched, and nothing else's fetch changes.
//
// A .br that cannot be had, or a decoder that will not load, before any of its body is
// decoded: the plain file instead. A failure mid-stream: the "runtime:failed" event, which
// boot.js shows as the boot failure, never a half-started Python.
// Progress goes to boot.js as "runtime:progress" (bytes of the .br total) and
// "runtime:downloaded" events. The query worker installs it too: its Pyodide then takes the
// same .br files, from the HTTP cache once the page has loaded them.

const PYODIDE = new URL("./vendor/pyodide/", import.meta.url);
const DECODER = new URL("./vendor/brotli-dec-wasm/brotli_dec_wasm.js", import.meta.url);
const FILES = ["pyodide.asm.wasm", "python_stdlib.zip"]; // publish.brotli.NAMES
const OUTPUT_CHUNK = 256 * 1024; // the wasm decoder's output per call

// Told to boot.js on the page; a worker (static/query-worker.js) has no one to tell.
const tell = (name, detail) => {
  if (globalThis.document) globalThis.dispatchEvent(new CustomEvent(name, { detail }));
};

export const nativeBrotli = () => {
  try {
    new DecompressionStream("brotli"); // Firefox; Chromium 156 throws a TypeError
    return true;
  } catch {
    return false;
  }
};

// brotli-dec-wasm's streaming decoder as a TransformStream.
function wasmDecoder(brotli) {
  const state = new brotli.BrotliDecStream();
  const { ResultSuccess, NeedsMoreInput } = brotli.BrotliStreamResultCode;
  let finished = false;
  return new TransformStream({
    transform(chunk, controller) {
      for (let offset = 0; !finished;) {
        const result = state.dec(chunk.subarray(offset), OUTPUT_CHUNK); // throws on bad data
        const { buf, code } = result;
        offset += result.input_offset;
        result.free();
        if (buf.length) controller.enqueue(buf);
        finished = code === ResultSuccess;
        if (code === NeedsMoreInput) return;
      }
    },
    flush() {
      state.free();
      if (!finished) throw new Error("the brotli stream ended early");
    },
  });
}

// A function that makes a decoding TransformStream; rejects if no decoder can be had.
async function loadDecoder(fetchOriginal) {
  if (nativeBrotli()) return () => new DecompressionStream("brotli");
  const brotli = await import(DECODER.href);
  const wasm = fetchOriginal(new URL("brotli_dec_wasm_bg.wasm", DECODER));
  await brotli.default({ module_or_path: wasm });
  return () => wasmDecoder(brotli);
}

// The .br files' sizes from the build's brotli.json, for the progress bar; null if unknown.
async function loadTotal(fetchOriginal) {
  try {
    const sizes = await (await fetchOriginal(new URL("brotli.json", PYODIDE))).json();
    return FILES.reduce((sum, name) => sum + sizes[name].br, 0);
  } catch {
    return null;
  }
}

// Counts the compressed bytes as they pass, for the progress bar.
function counter(progress, name) {
  return new TransformStream({
    transform(chunk, controller) {
      progress.received[name] = (progress.received[name] || 0) + chunk.byteLength;
      const received = Object.values(progress.received).reduce((a, b) => a + b, 0);
      tell("runtime:progress", { received, total: progress.total });
      controller.enqueue(chunk);
    },
  });
}

// The .br file decoded, as a Response; the plain file if the .br or the decoder fails first.
async function download(name, decoder, fetchOriginal, progress) {
  const plain = new URL(name, PYODIDE);
  const abort = new AbortController();
  let response, decoding;
  try {
    response = await fetchOriginal(new URL(name + ".br", PYODIDE), { signal: abort.signal });
    if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
    decoding = (await decoder)();
  } catch {
    abort.abort();
    return fetchOriginal(plain);
  }
  // Read eagerly, so decoding keeps pace with the network while PyScript is still starting;
  // an unbounded queue holds what Pyodide has not taken yet.
  const held = new TransformStream({}, undefined, { highWaterMark: Infinity });
  response.body
    .pipeThrough(counter(progress, name))
    .pipeThrough(decoding)
    .pipeTo(held.writable)
    .then(
      () => tell("runtime:downloaded", { name }),
      () => tell("runtime:failed", { name }),
    );
  // The wasm's type lets WebAssembly.instantiateStreaming compile it as it streams.
  const headers = name.endsWith(".wasm") ? { "Content-Type": "application/wasm" } : {};
  return new Response(held.readable, { headers });
}

const hrefOf = (input) => (input instanceof Request ? input.url : new URL(input, location.href).href);

// Starts both downloads and answers Pyodide's two fetches with them.
export function install() {
  const fetchOriginal = globalThis.fetch;
  const decoder = loadDecoder(fetchOriginal);
  decoder.catch(() => {}); // a decoder that cannot load means the plain files: no rejection left
  const progress = { received: {}, total: null };
  // The progress bar's total: the page's only (a worker shows no progress).
  if (globalThis.document) loadTotal(fetchOriginal).then((total) => { progress.total = total; });
  const answers = new Map(
    FILES.map((name) => [new URL(name, PYODIDE).href, download(name, decoder, fetchOriginal, progress)]),
  );
  const fetch = function fetch(input, init) {
    const href = hrefOf(input);
    const answer = answers.get(href);
    if (answer === undefined) return Reflect.apply(fetchOriginal, globalThis, [input, init]);
    answers.delete(href);
    if (answers.size === 0 && globalThis.fetch === fetch) globalThis.fetch = fetchOriginal;
    return answer;
  };
  globalThis.fetch = fetch;
}
