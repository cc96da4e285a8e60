using System.Collections.Concurrent;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>The ways a fault-injecting stand-in misbehaves instead of answering.</summary>
internal enum FaultKind
{
    /// <summary>429 with the service's retry-after header(s).</summary>
    Throttled,
    /// <summary>500 Internal Server Error.</summary>
    InternalError,
    /// <summary>503 Service Unavailable.</summary>
    Unavailable,
    /// <summary>The connection is closed without an answer.</summary>
    Dropped,
}

/// <summary>
/// Decides, from a seeded generator, which requests fail and how: each request fails with probability
/// <see cref="Rate"/>, with one of <see cref="Kinds"/> picked uniformly. Decisions are drawn under a lock in arrival
/// order, so a run with the same seed and the same request order injects the same faults. It counts requests and
/// faults by kind for the test to report.
/// </summary>
internal sealed class FaultInjector(int seed, double rate, params FaultKind[] kinds)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private int _requests;
    private bool _enabled = true;

    public int Seed => seed;

    public double Rate => rate;

    public IReadOnlyList<FaultKind> Kinds => kinds;

    public int Requests => Volatile.Read(ref _requests);

    public int Injected => _injected.Values.Sum();

    public int InjectedOf(FaultKind kind) => _injected.GetValueOrDefault(kind);

    /// <summary>Stops injecting (a test's final check runs against a healthy service).</summary>
    public void Disable()
    {
        lock (_lock)
        {
            _enabled = false;
        }
    }

    /// <summary>The fault for the next request, or null to serve it.</summary>
    public FaultKind? Next(bool eligible = true)
    {
        Interlocked.Increment(ref _requests);
        FaultKind? fault;
        lock (_lock)
        {
            if (!_enabled || !eligible)
            {
                return null;
            }
            fault = _random.NextDouble() < rate ? kinds[_random.Next(kinds.Length)] : null;
        }
        if (fault is { } kind)
        {
            _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
        return fault;
    }

    /// <summary>One line for the test output: requests, faults by kind.</summary>
    public string Describe() =>
        $"seed {seed}, rate {rate:P0}: {Requests} requests, {Injected} faults injected (" +
        string.Join(", ", kinds.Select(k => $"{k} {InjectedOf(k)}")) + ")";
}
