using System.Diagnostics;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>One side of the encoder comparison: embeds a range of the shared passages, or one query, and says how long it took.</summary>
internal interface IEncoderContestant : IDisposable
{
    string Name { get; }

    string Kind { get; }

    double SessionMilliseconds { get; }

    /// <summary>Size of the model file, when the contestant knows it.</summary>
    long? ModelBytes { get; }

    /// <summary>Embeds passages [start, start + count) and returns the seconds it took.</summary>
    Task<double> EmbedAsync(int start, int count, CancellationToken cancellationToken);

    /// <summary>Embeds one query alone and returns the milliseconds it took.</summary>
    Task<double> QueryAsync(int index, CancellationToken cancellationToken);
}

/// <summary>
/// The product's own encoder (<see cref="OnnxEmbeddingGenerator"/>) with one bundled model and spinning setting, at the
/// comparison's batch size: tokenization, length-aware batching, pooling and normalisation are all timed, as a caller
/// of the product pays them.
/// </summary>
internal sealed class BundledEncoderContestant : IEncoderContestant
{
    private readonly OnnxEmbeddingGenerator _generator;
    private readonly IReadOnlyList<string> _passages;
    private readonly IReadOnlyList<string> _queries;

    public BundledEncoderContestant(string model, bool allowSpinning, int batch, IReadOnlyList<string> passages, IReadOnlyList<string> queries)
    {
        _passages = passages;
        _queries = queries;
        var started = Stopwatch.GetTimestamp();
        _generator = new OnnxEmbeddingGenerator(Options.Create(new EncoderOptions
        {
            BatchSize = batch,
            Onnx = { Model = model, AllowSpinning = allowSpinning },
        }));
        SessionMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        string label = model switch
        {
            OnnxEncoderOptions.Int8Model => "int8",
            OnnxEncoderOptions.Fp32Model => "fp32",
            _ => model,
        };
        Name = $"{label}, spinning {(allowSpinning ? "on" : "off")}";
        ModelBytes = new FileInfo(OnnxModelFolder.Named(model).ModelPath).Length;
    }

    public string Name { get; }

    public string Kind => "bundled";

    public double SessionMilliseconds { get; }

    public long? ModelBytes { get; }

    public MiniLmTokenizer Tokenizer => _generator.Tokenizer;

    public async Task<double> EmbedAsync(int start, int count, CancellationToken cancellationToken)
    {
        var texts = _passages.Skip(start).Take(count).ToList();
        var started = Stopwatch.GetTimestamp();
        await _generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public async Task<double> QueryAsync(int index, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await _generator.GenerateAsync([_queries[index]], cancellationToken: cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public void Dispose() => _generator.Dispose();
}
