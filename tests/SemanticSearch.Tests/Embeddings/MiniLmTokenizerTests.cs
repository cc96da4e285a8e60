using System.Text;
using Microsoft.ML.Tokenizers;
using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Tests.Embeddings;

[Collection(SharedOnnxEmbeddingGenerator.Name)]
public sealed class MiniLmTokenizerTests(OnnxEmbeddingGeneratorFixture encoder)
{
    private readonly MiniLmTokenizer _tokenizer = encoder.Tokenizer;

    [Fact]
    public void KnownSentenceGetsTheIdsSentenceTransformersGives()
    {
        int[] ids = _tokenizer.EncodeForModel("This is an example sentence", OnnxEmbeddingGenerator.MaxSequenceLength);

        Assert.Equal([101, 2023, 2003, 2019, 2742, 6251, 102], ids);
    }

    [Theory]
    [InlineData("This is an example sentence", 5)]
    [InlineData("unbelievably", 5)]
    [InlineData("", 0)]
    [InlineData("   \r\n\t", 0)]
    public void CountTokensCountsWordPiecesWithoutSpecialTokens(string text, int expected)
    {
        Assert.Equal(expected, _tokenizer.CountTokens(text));
        Assert.Equal(expected + 2, _tokenizer.EncodeForModel(text, int.MaxValue).Length);
    }

    [Fact]
    public void AccentedWordsAreStrippedOfTheirMarksNotUnknown()
    {
        int[] accented = _tokenizer.EncodeForModel("Café crème brûlée, naïve résumé", 256);
        int[] plain = _tokenizer.EncodeForModel("cafe creme brulee, naive resume", 256);

        Assert.DoesNotContain(_tokenizer.UnknownTokenId, accented);
        Assert.Equal(plain, accented);
    }

    [Fact]
    public void BundledVocabularyHasCrlfLineEndingsAndReadsAsIfItHadLf()
    {
        string path = OnnxModelFolder.Bundled.VocabularyPath;
        string crlf = File.ReadAllText(path);
        Assert.Contains("[PAD]\r\n", crlf, StringComparison.Ordinal);

        using var lf = new MemoryStream(Encoding.UTF8.GetBytes(crlf.Replace("\r\n", "\n", StringComparison.Ordinal)));
        var fromLf = MiniLmTokenizer.Create(lf);

        const string text = "Résumé of the tokenizer's vocabulary: 30,522 word pieces!";
        Assert.Equal(fromLf.EncodeForModel(text, 256), _tokenizer.EncodeForModel(text, 256));
    }

    [Fact]
    public void LongTextIsCutAfterTheFirstPiecesThatFitEvenInsideAWord()
    {
        // Every word is several pieces, so the limit falls inside a word. Hugging Face keeps that word's first pieces.
        string text = string.Join(' ', Enumerable.Repeat("unbelievably hyperparameterization", 60));
        using var vocabulary = File.OpenRead(OnnxModelFolder.Bundled.VocabularyPath);
        var reference = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        var allPieces = reference.EncodeToIds(text, addSpecialTokens: false);
        Assert.True(allPieces.Count > 300);

        int[] ids = _tokenizer.EncodeForModel(text, 256);

        Assert.Equal(256, ids.Length);
        Assert.Equal([101, .. allPieces.Take(254), 102], ids);
    }

    [Fact]
    public void ShortestSequenceIsJustTheSpecialTokens()
    {
        Assert.Equal([101, 102], _tokenizer.EncodeForModel("anything at all", 2));
        Assert.Equal([101, 102], _tokenizer.EncodeForModel(string.Empty, 256));
    }

    [Fact]
    public void ConcurrentCallersGetTheSameCountsAsOneCaller()
    {
        string[] sentences = [.. Enumerable.Range(0, 400).Select(i => $"Sentence number {i} mentions naïve Bayes and café {i * 7919}.")];
        int[] sequential = [.. sentences.Select(_tokenizer.CountTokens)];

        var concurrent = new int[sentences.Length];
        Parallel.For(0, sentences.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => concurrent[i] = _tokenizer.CountTokens(sentences[i]));

        Assert.Equal(sequential, concurrent);
    }
}
