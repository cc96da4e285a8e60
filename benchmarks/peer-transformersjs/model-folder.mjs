// Lays out one of our build's model folders (model.onnx + vocab.txt) the way transformers.js reads a local model, so
// nothing is fetched from a hub:
//   .model/all-MiniLM-L6-v2/onnx/model.onnx (or model_quantized.onnx for --dtype q8) -> a link to OUR file
//   .model/all-MiniLM-L6-v2/tokenizer.json        built from vocab.txt: BertNormalizer (lower case, strip accents),
//                                                  BertPreTokenizer, WordPiece, [CLS] A [SEP]
//   .model/all-MiniLM-L6-v2/tokenizer_config.json model_max_length 256 (sentence-transformers' max_seq_length)
//   .model/all-MiniLM-L6-v2/config.json           BERT, 6 layers, 384 hidden, 12 heads
import fs from 'node:fs';
import path from 'node:path';

export const modelName = 'all-MiniLM-L6-v2';

/** Returns the folder transformers.js should use as env.localModelPath. */
export function prepareModelFolder(source, dtype, root) {
  const file = path.join(source, 'model.onnx');
  if (!fs.existsSync(file)) {
    throw new Error(`No ${file}: build the SemanticSearch project first (dotnet build functions/SemanticSearch), or pass --model <folder with model.onnx and vocab.txt>.`);
  }

  const target = path.join(root, modelName);
  fs.mkdirSync(path.join(target, 'onnx'), { recursive: true });
  const link = path.join(target, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.resolve(file), link);

  const tokens = fs.readFileSync(path.join(source, 'vocab.txt'), 'utf8').split(/\r?\n/);
  while (tokens.length && tokens[tokens.length - 1] === '') tokens.pop();
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content) => ({
      id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  fs.writeFileSync(path.join(target, 'tokenizer.json'), JSON.stringify(tokenizer));
  fs.writeFileSync(path.join(target, 'tokenizer_config.json'), JSON.stringify({
    tokenizer_class: 'BertTokenizer', do_lower_case: true, strip_accents: null, tokenize_chinese_chars: true,
    model_max_length: 256, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  }, null, 2));
  fs.writeFileSync(path.join(target, 'config.json'), JSON.stringify({
    model_type: 'bert', architectures: ['BertModel'], hidden_size: 384, num_hidden_layers: 6, num_attention_heads: 12,
    intermediate_size: 1536, hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, vocab_size: tokens.length,
    layer_norm_eps: 1e-12, pad_token_id: 0,
  }, null, 2));
  return root;
}
