using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SemanticSearch.Diagnostics;

namespace SemanticSearch.Embeddings;

/// <summary>
/// Serves embeddings from a durable cache and sends only the misses to the inner generator. Unlike Microsoft.Extensions.AI's
/// <c>CachingEmbeddingGenerator</c>, which looks keys up one at a time, every call here makes exactly one batched
/// read and at most one batched write, which is what keeps a Cosmos DB cache cheap.
/// The counts of computed and reused vectors travel back in <see cref="GeneratedEmbeddings{T}.AdditionalProperties"/>
/// (<see cref="ComputedProperty"/>, <see cref="ReusedProperty"/>), so callers can report them per document.
/// A failing cache never fails the caller: a failed read counts as all misses, a failed write is logged.
/// </summary>
public sealed partial class BatchCachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    public const string ComputedProperty = "semantic_search_embeddings_computed";
    public const string ReusedProperty = "semantic_search_embeddings_reused";

    /// <summary>
    /// A <see cref="bool"/>[] as long as the input: true where this call computed the vector, false where it came from
    /// the cache or from an identical text earlier in the same call. Lets a caller that embeds several documents in one
    /// call count each document's own computed and reused vectors.
    /// </summary>
    public const string ComputedMaskProperty = "semantic_search_embeddings_computed_mask";

    private readonly IEmbeddingCacheStore _store;
    private readonly SemanticSearchMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _modelId;
    private readonly int _dimensions;

    public BatchCachingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        IEmbeddingCacheStore store,
        SemanticSearchMetrics metrics,
        ILogger<BatchCachingEmbeddingGenerator> logger)
        : base(innerGenerator)
    {
        _store = store;
        _metrics = metrics;
        _logger = logger;
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>()
            ?? throw new ArgumentException("The encoder does not describe itself (EmbeddingGeneratorMetadata).", nameof(innerGenerator));
        _modelId = metadata.DefaultModelId ?? throw new ArgumentException("The encoder has no model id.", nameof(innerGenerator));
        _dimensions = metadata.DefaultModelDimensions ?? throw new ArgumentException("The encoder has no dimensions.", nameof(innerGenerator));
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values as IReadOnlyList<string> ?? values.ToList();
        if (texts.Count == 0)
        {
            return [];
        }

        var kind = options.GetInputKind();
        var keys = new string[texts.Count];
        var firstIndexOfKey = new Dictionary<string, int>(texts.Count, StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            keys[i] = EmbeddingCacheKey.Create(options?.ModelId ?? _modelId, options?.Dimensions ?? _dimensions, kind, texts[i]);
            firstIndexOfKey.TryAdd(keys[i], i);
        }

        var found = await ReadAsync([.. firstIndexOfKey.Keys], cancellationToken).ConfigureAwait(false);

        // Each distinct missing text is computed once, however often it repeats in the batch.
        var missingKeys = firstIndexOfKey.Keys.Where(k => !found.ContainsKey(k)).ToList();
        var computed = new Dictionary<string, float[]>(missingKeys.Count, StringComparer.Ordinal);
        UsageDetails? usage = null;
        if (missingKeys.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            var generated = await base.GenerateAsync(missingKeys.Select(k => texts[firstIndexOfKey[k]]), options, cancellationToken).ConfigureAwait(false);
            _metrics.EncoderDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (generated.Count != missingKeys.Count)
            {
                throw new InvalidOperationException($"The encoder returned {generated.Count} embeddings for {missingKeys.Count} inputs.");
            }
            for (var i = 0; i < missingKeys.Count; i++)
            {
                computed[missingKeys[i]] = generated[i].Vector.ToArray();
            }
            usage = generated.Usage;
            await WriteAsync(computed, cancellationToken).ConfigureAwait(false);
        }

        var result = new List<Embedding<float>>(texts.Count);
        var mask = new bool[texts.Count];
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            var vector = found.TryGetValue(key, out var cached) ? cached : computed[key];
            mask[i] = cached is null && firstIndexOfKey[key] == i;
            result.Add(new Embedding<float>(vector) { ModelId = options?.ModelId ?? _modelId, CreatedAt = now });
        }

        var reused = texts.Count - computed.Count;
        _metrics.EmbeddingsComputed.Add(computed.Count, new KeyValuePair<string, object?>("kind", kind.ToString()));
        _metrics.EmbeddingsReused.Add(reused, new KeyValuePair<string, object?>("kind", kind.ToString()));
        return new GeneratedEmbeddings<Embedding<float>>(result)
        {
            Usage = usage,
            AdditionalProperties = new() { [ComputedProperty] = computed.Count, [ReusedProperty] = reused, [ComputedMaskProperty] = mask },
        };
    }

    /// <summary>The <see cref="ComputedMaskProperty"/> of a result, or null when it did not come through this generator.</summary>
    public static bool[]? ComputedMask(GeneratedEmbeddings<Embedding<float>> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        return embeddings.AdditionalProperties?.TryGetValue(ComputedMaskProperty, out var value) == true ? value as bool[] : null;
    }

    private async Task<IReadOnlyDictionary<string, float[]>> ReadAsync(List<string> keys, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.GetManyAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReadFailed(_logger, ex, _store.Name, keys.Count);
            return new Dictionary<string, float[]>();
        }
    }

    private async Task WriteAsync(Dictionary<string, float[]> computed, CancellationToken cancellationToken)
    {
        try
        {
            await _store.SetManyAsync(computed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWriteFailed(_logger, ex, _store.Name, computed.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding cache {Store} could not be read; treating {Count} keys as misses.")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string store, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding cache {Store} could not store {Count} new vectors; they will be computed again next time.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string store, int count);
}
