using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace SemanticSearch.Testing;

/// <summary>
/// A deterministic stand-in encoder for tests of the plumbing around encoders (caching, batching, indexing): each
/// word hashes to a dimension, so texts sharing words are similar. Records every text it is asked to embed.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimensions = 64, string modelId = "hashing-test") : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("test", null, modelId, dimensions);

    public List<IReadOnlyList<string>> Calls { get; } = [];

    public int TextsEmbedded => Calls.Sum(c => c.Count);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        lock (Calls)
        {
            Calls.Add(texts);
        }
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(Embed(t, dimensions)))));
    }

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', '\n', '?', '!'], StringSplitOptions.RemoveEmptyEntries))
        {
            vector[(int)((uint)StableHash(word) % (uint)dimensions)] += 1;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static int StableHash(string word)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }
    }
}
