using Microsoft.Extensions.AI;

namespace SemanticSearch.Functions.Tests.Support;

/// <summary>
/// The real encoder behind a gate: a call whose texts contain <see cref="Marker"/> waits until <see cref="Release"/>,
/// and says it arrived (<see cref="Entered"/>), so a test can hold one ingestion mid-way while another runs.
/// </summary>
internal sealed class GatedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string marker, int holders = 1)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    public string Marker => marker;

    /// <summary>Completes when <c>holders</c> calls with the marker are waiting at the gate.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        if (texts.Any(t => t.Contains(marker, StringComparison.Ordinal)))
        {
            if (Interlocked.Increment(ref _waiting) >= holders)
            {
                _entered.TrySetResult();
            }
            await _released.Task.WaitAsync(cancellationToken);
        }
        return await base.GenerateAsync(texts, options, cancellationToken);
    }
}
