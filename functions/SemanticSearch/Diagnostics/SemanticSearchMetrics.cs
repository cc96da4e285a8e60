using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SemanticSearch.Diagnostics;

/// <summary>
/// The counters users ask for, published on the <c>SemanticSearch</c> meter (OpenTelemetry / Application Insights /
/// dotnet-counters pick them up) and also totalled in process for <c>GET /api/health</c> and the command line.
/// </summary>
public sealed class SemanticSearchMetrics
{
    public const string MeterName = "SemanticSearch";

    private long _embeddingsComputed;
    private long _embeddingsReused;
    private long _searchHits;
    private long _searchMisses;
    private long _documentsIndexed;
    private long _documentsFailed;
    private long _documentsUnchanged;
    private long _searchesShed;

    public SemanticSearchMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        EmbeddingsComputed = new Observed<long>(meter.CreateCounter<long>("semantic_search.embeddings.computed", "{embedding}", "Embeddings the encoder computed (cache misses)."), v => Interlocked.Add(ref _embeddingsComputed, v));
        EmbeddingsReused = new Observed<long>(meter.CreateCounter<long>("semantic_search.embeddings.reused", "{embedding}", "Embeddings served from the embedding cache."), v => Interlocked.Add(ref _embeddingsReused, v));
        EncoderDuration = meter.CreateHistogram<double>("semantic_search.encoder.duration", "ms", "Time the encoder took for one batch of cache misses.");
        SearchDuration = meter.CreateHistogram<double>("semantic_search.search.duration", "ms", "Time to answer a search, by result-cache outcome.");
        IngestionDuration = meter.CreateHistogram<double>("semantic_search.ingestion.duration", "ms", "Time to ingest one document, by outcome.");
        _searchRequests = meter.CreateCounter<long>("semantic_search.search.requests", "{request}", "Searches answered, by result-cache outcome.");
        _shed = meter.CreateCounter<long>("semantic_search.search.shed", "{request}", "Searches refused with 429 because the embedding generator was busy and its queue full.");
        _documents = meter.CreateCounter<long>("semantic_search.ingestion.documents", "{document}", "Documents ingested, by outcome.");
    }

    private readonly Counter<long> _searchRequests;
    private readonly Counter<long> _shed;
    private readonly Counter<long> _documents;

    public Observed<long> EmbeddingsComputed { get; }

    public Observed<long> EmbeddingsReused { get; }

    public Histogram<double> EncoderDuration { get; }

    public Histogram<double> SearchDuration { get; }

    public Histogram<double> IngestionDuration { get; }

    public void RecordSearch(bool cacheHit, string mode, TimeSpan elapsed)
    {
        Interlocked.Increment(ref cacheHit ? ref _searchHits : ref _searchMisses);
        var tags = new TagList { { "cache", cacheHit ? "hit" : "miss" }, { "mode", mode } };
        _searchRequests.Add(1, tags);
        SearchDuration.Record(elapsed.TotalMilliseconds, tags);
    }

    /// <summary>A search refused because the embedding generator was saturated.</summary>
    public void RecordShed()
    {
        Interlocked.Increment(ref _searchesShed);
        _shed.Add(1);
    }

    public void RecordDocument(string outcome, TimeSpan elapsed)
    {
        switch (outcome)
        {
            case "indexed": Interlocked.Increment(ref _documentsIndexed); break;
            case "failed": Interlocked.Increment(ref _documentsFailed); break;
            case "unchanged": Interlocked.Increment(ref _documentsUnchanged); break;
        }
        var tags = new TagList { { "outcome", outcome } };
        _documents.Add(1, tags);
        IngestionDuration.Record(elapsed.TotalMilliseconds, tags);
    }

    public MetricsSnapshot Snapshot()
    {
        var hits = Interlocked.Read(ref _searchHits);
        var misses = Interlocked.Read(ref _searchMisses);
        var computed = Interlocked.Read(ref _embeddingsComputed);
        var reused = Interlocked.Read(ref _embeddingsReused);
        return new MetricsSnapshot(
            hits,
            misses,
            hits + misses == 0 ? null : (double)hits / (hits + misses),
            computed,
            reused,
            computed + reused == 0 ? null : (double)reused / (computed + reused),
            Interlocked.Read(ref _documentsIndexed),
            Interlocked.Read(ref _documentsUnchanged),
            Interlocked.Read(ref _documentsFailed),
            Interlocked.Read(ref _searchesShed));
    }

    /// <summary>A counter that also keeps a process-wide total.</summary>
    public sealed class Observed<T>(Counter<T> counter, Action<T> total) where T : struct
    {
        public void Add(T value, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            counter.Add(value, tags);
            total(value);
        }
    }
}
