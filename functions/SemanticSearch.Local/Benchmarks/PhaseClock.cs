using System.Diagnostics;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>Accumulates wall time per named phase, in the order phases are first timed.</summary>
internal sealed class PhaseClock
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _milliseconds = new(StringComparer.Ordinal);

    public async Task<T> TimeAsync<T>(string phase, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        var result = await work().ConfigureAwait(false);
        Add(phase, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    public T Time<T>(string phase, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        var result = work();
        Add(phase, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    public void Add(string phase, double milliseconds)
    {
        if (!_milliseconds.ContainsKey(phase))
        {
            _order.Add(phase);
        }
        _milliseconds[phase] = _milliseconds.GetValueOrDefault(phase) + milliseconds;
    }

    public double this[string phase] => _milliseconds.GetValueOrDefault(phase);

    /// <summary>Each phase per item (document or query), with its share of the phases' sum.</summary>
    public IReadOnlyList<PhaseTiming> PerItem(int items)
    {
        var total = _milliseconds.Values.Sum();
        return [.. _order.Select(p => new PhaseTiming(p, _milliseconds[p] / Math.Max(items, 1), total == 0 ? 0 : _milliseconds[p] / total))];
    }
}
