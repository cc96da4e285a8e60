// The peer of the encoder benchmark: transformers.js (@huggingface/transformers on onnxruntime-node) embedding the same
// passages as `semantic-search bench --encoders`, with the all-MiniLM-L6-v2 file our build extracts, offline.
//
//   node bench.mjs --texts FILE [--model DIR] [--dtype fp32|q8] [--batch 8] [--threads N] [--nospin] [--serve | --rounds 3]
//
// --texts   JSON {"passages": [...], "queries": [...]}; `bench --encoders` writes it (encoder-texts.json) and passes it.
// --model   a folder with model.onnx and vocab.txt; default: the fp32 folder the SemanticSearch build extracts
//           (functions/SemanticSearch/obj/models/all-MiniLM-L6-v2). With --dtype q8 the file is loaded as transformers.js'
//           quantized model (point --model at .../all-MiniLM-L6-v2-int8 to run our int8 file).
// Without --threads/--nospin the session options are transformers.js' defaults, as its users get them.
// --serve   driven by the C# benchmark over stdin, so both sides are timed interleaved under the same machine load:
//           "embed <start> <count>" embeds passages[start, start+count) in batches of --batch, in order;
//           "query <i>" embeds queries[i] alone; both answer "DONE <milliseconds>" (the peer times itself, so the pipe is
//           not charged to it); "quit" ends. Before "READY <session ms>" it prints one line "peer <name>: <checks>".
// Otherwise it times --rounds passes over all passages itself and prints "SUMMARY peer <name> passages_per_s <median> ...".
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline, env } from '@huggingface/transformers';
import { prepareModelFolder, modelName } from './model-folder.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const here = path.dirname(new URL(import.meta.url).pathname);
const textsFile = option('--texts', null);
if (!textsFile) {
  console.error('usage: node bench.mjs --texts FILE [--model DIR] [--dtype fp32|q8] [--batch 8] [--threads N] [--nospin] [--serve | --rounds 3]');
  process.exit(2);
}
const dtype = option('--dtype', 'fp32');
const modelDir = path.resolve(option('--model', path.join(here, '../../functions/SemanticSearch/obj/models/all-MiniLM-L6-v2')));
const batch = Number(option('--batch', 8));
const rounds = Number(option('--rounds', 3));
const threads = option('--threads', null);
const noSpin = args.includes('--nospin');
const name = `transformers.js-${dtype}` + (threads ? `-threads${threads}` : '') + (noSpin ? '-nospin' : '');

const { passages, queries } = JSON.parse(fs.readFileSync(textsFile, 'utf8'));

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = prepareModelFolder(modelDir, dtype, path.join(here, '.model', dtype));
env.useFSCache = false;

// --threads N sets onnxruntime-node's intraOpNumThreads; --nospin sets session.intra_op.allow_spinning = 0.
const session_options = threads || noSpin ? {
  ...(threads ? { intraOpNumThreads: Number(threads) } : {}),
  ...(noSpin ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
} : undefined;
let started = performance.now();
const extractor = await pipeline('feature-extraction', modelName, { dtype, device: 'cpu', session_options });
const sessionMs = performance.now() - started;
const embed = (texts) => extractor(texts, { pooling: 'mean', normalize: true });

// The known-good values (sentence-transformers' own), so a run shows the peer computes what we compute.
const example = (await embed(['This is an example sentence'])).tolist()[0];
const pair = (await embed(['A man is eating food.', 'A man is eating a piece of bread.'])).tolist();
const cosine = pair[0].reduce((sum, x, i) => sum + x * pair[1][i], 0);
console.log(`peer ${name}: model ${modelDir}; first values ${example.slice(0, 4).map((x) => x.toFixed(7)).join(', ')}; cos(man eating) ${cosine.toFixed(4)}; ${passages.length} passages, batch ${batch}`);

await embed(passages.slice(0, 16)); // warm-up, as the C# side does

async function embedRange(start, count) {
  for (let i = start; i < start + count; i += batch) {
    (await embed(passages.slice(i, Math.min(i + batch, start + count)))).tolist();
  }
}

if (args.includes('--serve')) {
  console.log(`READY ${sessionMs.toFixed(0)}`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [verb, a, b] = line.trim().split(/\s+/);
    if (verb === 'quit' || verb === undefined) break;
    const t0 = performance.now();
    if (verb === 'embed') {
      await embedRange(Number(a), Number(b));
    } else if (verb === 'query') {
      (await embed([queries[Number(a)]])).tolist();
    } else {
      console.log(`ERROR unknown request ${line}`);
      continue;
    }
    console.log(`DONE ${(performance.now() - t0).toFixed(3)}`);
  }
  process.exit(0);
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
};
const rates = [];
for (let round = 0; round < rounds; round++) {
  started = performance.now();
  await embedRange(0, passages.length);
  rates.push(passages.length / ((performance.now() - started) / 1000));
  console.log(`RESULT peer ${name} round ${round} passages_per_s ${rates[round].toFixed(2)}`);
}
const latencies = [];
for (const query of queries) {
  started = performance.now();
  (await embed([query])).tolist();
  latencies.push(performance.now() - started);
}
console.log(`SUMMARY peer ${name} passages_per_s ${median(rates).toFixed(2)} query_p50_ms ${median(latencies).toFixed(2)} session_ms ${sessionMs.toFixed(0)}`);
