using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Tests.Embeddings;

[Collection(SharedOnnxEmbeddingGenerator.Name)]
public sealed class OnnxEmbeddingGeneratorTests(OnnxEmbeddingGeneratorFixture encoder)
{
    private readonly OnnxEmbeddingGenerator _generator = encoder.Generator;

    /// <summary>Short and long texts, deliberately out of length order.</summary>
    private static readonly string[] MixedTexts =
    [
        "A man is eating food.",
        string.Join(' ', Enumerable.Repeat("Transformers map every token to a vector that depends on its whole context.", 12)),
        "",
        "Bread.",
        "The quick brown fox jumps over the lazy dog, again and again, while the dog sleeps in the warm afternoon sun.",
        "Café crème brûlée",
        string.Join(' ', Enumerable.Repeat("Sentence embeddings let a search engine match meaning rather than words.", 4)),
        "A man is eating a piece of bread.",
        "Serverless functions scale to zero.",
        "x",
    ];

    [Fact]
    public async Task KnownSentenceMatchesSentenceTransformers()
    {
        float[] vector = await encoder.EmbedAsync("This is an example sentence");

        Assert.Equal(384, vector.Length);
        VectorAssert.Equal([0.0676569f, 0.0634959f, 0.0487131f, 0.0793049f], vector.AsSpan(0, 4), 1e-5f);
    }

    [Fact]
    public async Task RelatedSentencesHaveTheKnownCosine()
    {
        var embeddings = await _generator.GenerateAsync(["A man is eating food.", "A man is eating a piece of bread."]);

        float cosine = TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span);

        Assert.InRange(cosine, 0.7553f - 1e-3f, 0.7553f + 1e-3f);
    }

    [Fact]
    public async Task EveryVectorIsUnitLength()
    {
        var embeddings = await _generator.GenerateAsync(MixedTexts);

        Assert.Equal(MixedTexts.Length, embeddings.Count);
        Assert.All(embeddings, embedding => VectorAssert.UnitLength(embedding.Vector.Span));
    }

    [Fact]
    public async Task BatchedResultsEqualOneAtATimeInTheCallersOrder()
    {
        // Batches of 3 over 10 texts: several batches, each sorted by length and padded differently from a lone text.
        using var smallBatches = new OnnxEmbeddingGenerator(
            Options.Create(OnnxEmbeddingGeneratorFixture.Fp32Options(batchSize: 3)), encoder.Tokenizer);

        var batched = await smallBatches.GenerateAsync(MixedTexts);
        var fullBatch = await _generator.GenerateAsync(MixedTexts);

        for (int i = 0; i < MixedTexts.Length; i++)
        {
            float[] alone = await encoder.EmbedAsync(MixedTexts[i]);
            VectorAssert.Equal(alone, batched[i].Vector.Span, 1e-5f);
            VectorAssert.Equal(alone, fullBatch[i].Vector.Span, 1e-5f);
        }
    }

    [Fact]
    public async Task TextLongerThanTheModelReadsIsTruncatedTo254WordPieces()
    {
        string[] words = ["river", "stone", "green", "house", "music", "light", "paper", "world"];
        Assert.All(words, word => Assert.Equal(1, encoder.Tokenizer.CountTokens(word)));
        string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => words[i % words.Length]));

        float[] truncated = await encoder.EmbedAsync(Words(400));
        float[] firstPieces = await encoder.EmbedAsync(Words(254));
        float[] onePieceFewer = await encoder.EmbedAsync(Words(253));

        VectorAssert.UnitLength(truncated);
        VectorAssert.Equal(firstPieces, truncated, 1e-5f);
        Assert.NotEqual(onePieceFewer, truncated);
    }

    [Fact]
    public async Task AccentedTextEmbedsLikeItsUnaccentedSpelling()
    {
        float[] accented = await encoder.EmbedAsync("Café crème brûlée");
        float[] plain = await encoder.EmbedAsync("cafe creme brulee");

        VectorAssert.Equal(plain, accented, 1e-5f);
    }

    [Fact]
    public async Task EmptyInputReturnsNoEmbeddings()
    {
        var embeddings = await _generator.GenerateAsync([]);

        Assert.Empty(embeddings);
        Assert.Equal(0, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task EmbeddingsCarryTheModelAndTheTokensRead()
    {
        var embeddings = await _generator.GenerateAsync(["This is an example sentence", "Bread."]);

        Assert.All(embeddings, embedding => Assert.Equal("all-MiniLM-L6-v2", embedding.ModelId));
        Assert.Equal(7 + 4, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task InputKindDoesNotChangeTheVector()
    {
        var asQuery = await _generator.GenerateAsync(["A man is eating food."], new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Query));
        var asPassage = await _generator.GenerateAsync(["A man is eating food."], new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage));

        VectorAssert.Equal(asPassage[0].Vector.Span, asQuery[0].Vector.Span, 0f);
    }

    [Fact]
    public async Task AnotherModelOrDimensionIsRefused()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            _generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = 256 }));
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            _generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));

        var accepted = await _generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { ModelId = "all-MiniLM-L6-v2", Dimensions = 384 });
        Assert.Single(accepted);
    }

    [Fact]
    public async Task NullTextIsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["fine", null!]));
    }

    [Fact]
    public async Task CancelledBeforehandDoesNoWork()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var task = _generator.GenerateAsync(["A man is eating food."], cancellationToken: cancellation.Token);

        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task CancelledMidwayStopsLongBeforeTheWorkIsDone()
    {
        // About 40 s of work on two cores; cancellation must cut it short.
        string passage = string.Join(' ', Enumerable.Repeat("Sentence embeddings let a search engine match meaning rather than words.", 5));
        string[] texts = [.. Enumerable.Range(0, 3000).Select(i => $"{i}: {passage}")];
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _generator.GenerateAsync(texts, cancellationToken: cancellation.Token));

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancelledDuringABatchStopsThatBatch()
    {
        // One batch of 64 texts at the 256-token limit takes ~12 s on two cores; cancelling must not wait for it.
        using var oneBatch = new OnnxEmbeddingGenerator(Options.Create(OnnxEmbeddingGeneratorFixture.Fp32Options(batchSize: 64)), encoder.Tokenizer);
        string passage = string.Join(' ', Enumerable.Repeat("Sentence embeddings let a search engine match meaning rather than words.", 30));
        string[] texts = [.. Enumerable.Range(0, 64).Select(i => $"{i}: {passage}")];
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => oneBatch.GenerateAsync(texts, cancellationToken: cancellation.Token));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ConcurrentCallersGetTheSameVectors()
    {
        var expected = await _generator.GenerateAsync(MixedTexts);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _generator.GenerateAsync(MixedTexts))));

        foreach (var result in results)
        {
            for (int i = 0; i < MixedTexts.Length; i++)
            {
                VectorAssert.Equal(expected[i].Vector.Span, result[i].Vector.Span, 1e-5f);
            }
        }
    }

    [Fact]
    public void MetadataDescribesTheBundledModel()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("onnx", metadata.ProviderName);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
    }

    [Fact]
    public void GetServiceFollowsTheInterfaceConventions()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = _generator;

        Assert.Same(_generator, generator.GetService<OnnxEmbeddingGenerator>());
        Assert.Same(_generator, generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Same(encoder.Tokenizer, generator.GetService<MiniLmTokenizer>());
        Assert.Null(generator.GetService<OnnxEmbeddingGenerator>(serviceKey: "some key"));
        Assert.Null(generator.GetService<string>());
    }

    [Fact]
    public void MissingModelSaysWhereItLookedAndHowToGetIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"no-model-{Guid.NewGuid():N}");

        var error = Assert.Throws<FileNotFoundException>(() =>
            OnnxEmbeddingGenerator.Create(new EncoderOptions { Onnx = { ModelPath = folder } }));

        Assert.Contains(Path.Combine(folder, "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Build the SemanticSearch project", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledModelIsNextToTheBinaries()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2"), OnnxModelFolder.Bundled.Path);
        Assert.True(File.Exists(OnnxModelFolder.Bundled.ModelPath));
        Assert.Equal("all-MiniLM-L6-v2", OnnxModelFolder.Resolve(new OnnxEncoderOptions { Model = "Fp32" }).ModelId);
        Assert.Equal("all-MiniLM-L6-v2", OnnxModelFolder.Resolve(new OnnxEncoderOptions { Model = "fp32" }).ModelId);
        Assert.Equal("all-MiniLM-L6-v2", OnnxModelFolder.Resolve(new OnnxEncoderOptions { ModelPath = OnnxModelFolder.Bundled.Path + Path.DirectorySeparatorChar }).ModelId);
    }
}
