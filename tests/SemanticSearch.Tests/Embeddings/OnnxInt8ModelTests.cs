using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Embedded.Onnx;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Tests.Embeddings;

/// <summary>
/// The int8 copy of all-MiniLM-L6-v2 that the build derives (Model.targets, tools/SemanticSearch.ModelTools): where it
/// is, that it is quantized, that it stays close to fp32, and that it is a model of its own for the index and the cache.
/// </summary>
[Collection(SharedOnnxEmbeddingGenerator.Name)]
public sealed class OnnxInt8ModelTests(OnnxEmbeddingGeneratorFixture fp32) : IDisposable
{
    private static readonly string[] Sentences =
    [
        "This is an example sentence",
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "Café crème brûlée",
        "Serverless functions scale to zero.",
        "x",
        "The quick brown fox jumps over the lazy dog, again and again, while the dog sleeps in the warm afternoon sun.",
        string.Join(' ', Enumerable.Repeat("Transformers map every token to a vector that depends on its whole context.", 12)),
    ];

    private readonly OnnxEmbeddingGenerator _int8 = OnnxEmbeddingGenerator.Create(new EncoderOptions { Onnx = { Model = OnnxEncoderOptions.Int8Model } });

    [Fact]
    public void TheBuildPutsTheInt8ModelNextToTheFp32One()
    {
        var folder = OnnxModelFolder.BundledInt8;

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2-int8"), folder.Path);
        Assert.Equal("all-MiniLM-L6-v2-int8", OnnxModelFolder.Resolve(new OnnxEncoderOptions { Model = "int8" }).ModelId);
        Assert.Equal(File.ReadAllBytes(OnnxModelFolder.Bundled.VocabularyPath), File.ReadAllBytes(folder.VocabularyPath));

        // 59 MB against 91: the MatMul weights are int8, the word embeddings stay float.
        long int8Bytes = new FileInfo(folder.ModelPath).Length;
        long fp32Bytes = new FileInfo(OnnxModelFolder.Bundled.ModelPath).Length;
        Assert.InRange(int8Bytes, fp32Bytes * 55 / 100, fp32Bytes * 70 / 100);
    }

    [Fact]
    public void TheInt8ModelSaysHowItWasQuantized()
    {
        using var session = new InferenceSession(OnnxModelFolder.BundledInt8.ModelPath);

        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.True(metadata.TryGetValue("quantization", out string? how), "The int8 model carries no quantization metadata.");
        Assert.Contains("per channel", how, StringComparison.Ordinal);
        Assert.Contains("6 attention blocks fused", how, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8IsTheDefaultModelAndHasItsOwnId()
    {
        Assert.Equal(OnnxEncoderOptions.Int8Model, new OnnxEncoderOptions().Model);
        Assert.Equal("all-MiniLM-L6-v2-int8", _int8.ModelId);
        Assert.Equal(384, _int8.Dimensions);
        Assert.Equal("all-MiniLM-L6-v2-int8", _int8.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.NotEqual(fp32.Generator.ModelId, _int8.ModelId);
    }

    [Fact]
    public async Task Int8VectorsStayCloseToFp32()
    {
        var expected = await fp32.Generator.GenerateAsync(Sentences);
        var actual = await _int8.GenerateAsync(Sentences);

        for (int i = 0; i < Sentences.Length; i++)
        {
            VectorAssert.UnitLength(actual[i].Vector.Span);
            Assert.Equal("all-MiniLM-L6-v2-int8", actual[i].ModelId);
            float cosine = TensorPrimitives.CosineSimilarity(expected[i].Vector.Span, actual[i].Vector.Span);
            Assert.True(cosine >= 0.97f, $"cosine(fp32, int8) of '{Sentences[i][..Math.Min(30, Sentences[i].Length)]}' is {cosine}.");
        }
    }

    [Fact]
    public async Task Int8KeepsTheKnownSimilarity()
    {
        var embeddings = await _int8.GenerateAsync(["A man is eating food.", "A man is eating a piece of bread."]);

        float cosine = TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span);

        // fp32 (and sentence-transformers) give 0.7553.
        Assert.InRange(cosine, 0.7553f - 0.02f, 0.7553f + 0.02f);
    }

    [Fact]
    public async Task Int8VectorsDependALittleOnTheirBatch()
    {
        // Activations are quantized with one scale per tensor, i.e. per batch (padding included), so unlike fp32 (equal
        // to 1e-5) a text's int8 vector moves with its batch neighbours: the lowest cosine here is 0.975 (sentence 5,
        // batched with the rest). Retrieval quality is measured through the product's own batching
        // (docs/benchmarks.md); the embedding cache keeps whichever vector came first.
        var batched = await _int8.GenerateAsync(Sentences);

        for (int i = 0; i < Sentences.Length; i++)
        {
            var alone = await _int8.GenerateAsync([Sentences[i]]);
            float cosine = TensorPrimitives.CosineSimilarity(alone[0].Vector.Span, batched[i].Vector.Span);
            Assert.True(cosine >= 0.97f, $"cosine(alone, batched) of sentence {i} is {cosine}.");
        }
    }

    [Fact]
    public async Task SpinningChangesTheSpeedNotTheVectors()
    {
        using var spinning = OnnxEmbeddingGenerator.Create(new EncoderOptions { Onnx = { Model = OnnxEncoderOptions.Int8Model, AllowSpinning = true } });

        var expected = await _int8.GenerateAsync(Sentences);
        var actual = await spinning.GenerateAsync(Sentences);

        for (int i = 0; i < Sentences.Length; i++)
        {
            VectorAssert.Equal(expected[i].Vector.Span, actual[i].Vector.Span, 1e-5f);
        }
    }

    [Fact]
    public void AModelNameThatIsAPathIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxModelFolder.Named("../all-MiniLM-L6-v2"));

        Assert.Contains("Encoder:Onnx:ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchingBetweenFp32AndInt8IsAnEncoderChange()
    {
        using var root = new TempDirectory();
        string documents = SemanticSearchHost.CopySamples(root.File("docs"));
        var settings = new Dictionary<string, string?> { ["Data:Path"] = root.File("data"), ["Encoder:Onnx:Model"] = "Fp32" };
        int chunks, computed;
        await using (var services = await SemanticSearchHost.BuildAsync(settings))
        {
            var first = await services.SyncFolderAsync(documents);
            (chunks, computed) = (first.Chunks, first.EmbeddingsComputed);
        }
        Assert.True(computed > 0);

        // The index recorded fp32's vector space and refuses to serve int8 queries against it.
        settings["Encoder:Onnx:Model"] = "Int8";
        var error = await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => SemanticSearchHost.BuildAsync(settings));
        Assert.Equal(new VectorSpace("all-MiniLM-L6-v2", 384), error.Indexed);
        Assert.Equal(new VectorSpace("all-MiniLM-L6-v2-int8", 384), error.Configured);

        // Rebuilt for int8 with the embedding cache kept, no fp32 vector passes for an int8 one: every chunk is embedded.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.Combine(root.File("data"), EmbeddedSearchIndex.FolderName), recursive: true);
        File.Delete(Path.Combine(root.File("data"), "documents.db"));
        await using (var services = await SemanticSearchHost.BuildAsync(settings))
        {
            var summary = await services.SyncFolderAsync(documents);
            Assert.Equal(chunks, summary.Chunks);
            Assert.Equal(computed, summary.EmbeddingsComputed);
            Assert.Equal(0, summary.EmbeddingsReused);
            Assert.Equal("all-MiniLM-L6-v2-int8", services.GetRequiredService<EmbeddingGeneratorMetadata>().DefaultModelId);
        }
    }

    public void Dispose() => _int8.Dispose();
}
