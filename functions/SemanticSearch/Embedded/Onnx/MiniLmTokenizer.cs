using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;

namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// The uncased WordPiece tokenizer of all-MiniLM-L6-v2. The encoder and the chunker share it, so chunks are measured in
/// exactly the word pieces the model reads. It is immutable once loaded, so one instance serves every thread.
/// </summary>
public sealed class MiniLmTokenizer : ITokenCounter
{
    /// <summary>
    /// Lower-casing and accent stripping are what the model was trained with (BERT uncased); without stripping the
    /// non-spacing marks, accented words become [UNK].
    /// </summary>
    private static readonly BertOptions MiniLmOptions = new()
    {
        LowerCaseBeforeTokenization = true,
        RemoveNonSpacingMarks = true,
    };

    private readonly BertTokenizer _bert;

    /// <summary>Loads vocab.txt from the configured model folder (<c>Encoder:Onnx:ModelPath</c>, or the bundled <c>Encoder:Onnx:Model</c>).</summary>
    public MiniLmTokenizer(IOptions<EncoderOptions> options)
        : this(LoadBert(OnnxModelFolder.Resolve(Required(options).Onnx)))
    {
    }

    private MiniLmTokenizer(BertTokenizer bert) => _bert = bert;

    public int ClassificationTokenId => _bert.ClassificationTokenId;

    public int SeparatorTokenId => _bert.SeparatorTokenId;

    public int UnknownTokenId => _bert.UnknownTokenId;

    /// <summary>Loads the vocabulary of a model folder (the bundled all-MiniLM-L6-v2 when <paramref name="folder"/> is null; the int8 copy has the same).</summary>
    public static MiniLmTokenizer Load(OnnxModelFolder? folder = null) => new(LoadBert(folder ?? OnnxModelFolder.Bundled));

    /// <summary>Reads a WordPiece vocabulary, one token a line (LF or CRLF); the stream is left open.</summary>
    public static MiniLmTokenizer Create(Stream vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new MiniLmTokenizer(BertTokenizer.Create(vocabulary, MiniLmOptions));
    }

    /// <inheritdoc />
    /// <remarks>Counts without [CLS] and [SEP], which the encoder adds to every input. Allocates no id list.</remarks>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bert.CountTokens(text);
    }

    /// <summary>
    /// The ids the model reads: [CLS], the first <c>maxSequenceLength - 2</c> word pieces, [SEP] — truncated the way
    /// sentence-transformers (Hugging Face tokenizers) truncates, which may cut a word between two of its pieces.
    /// </summary>
    public int[] EncodeForModel(string text, int maxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequenceLength, 2);

        int pieceBudget = maxSequenceLength - 2;

        // A bounded encode stops before the first word whose pieces do not all fit, where Hugging Face cuts inside that
        // word. A word has at most MaxInputCharsPerWord pieces (longer ones become one [UNK]), so asking for that many
        // more yields at least the pieces Hugging Face keeps, while never tokenizing the rest of a long text.
        int requested = pieceBudget > int.MaxValue - _bert.MaxInputCharsPerWord ? int.MaxValue : pieceBudget + _bert.MaxInputCharsPerWord;
        var pieces = _bert.EncodeToIds(text, requested, addSpecialTokens: false, out _, out _);

        int kept = Math.Min(pieces.Count, pieceBudget);
        var ids = new int[kept + 2];
        ids[0] = _bert.ClassificationTokenId;
        for (int i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = _bert.SeparatorTokenId;
        return ids;
    }

    private static BertTokenizer LoadBert(OnnxModelFolder folder)
    {
        using var vocabulary = File.OpenRead(folder.RequireFile(OnnxModelFolder.VocabularyFileName));
        return BertTokenizer.Create(vocabulary, MiniLmOptions);
    }

    private static EncoderOptions Required(IOptions<EncoderOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }
}
