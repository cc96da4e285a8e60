using System.Collections.Concurrent;

namespace SemanticSearch.Diagnostics;

/// <summary>
/// What keeps the app from serving right now, by component, as <c>/api/health</c> reports it (503 with the reason).
/// A component reports each failed attempt and clears its entry when an attempt succeeds, so a start-up that failed
/// (a 403 while role assignments propagate) shows until the lazy retry heals it, and no longer.
/// </summary>
public sealed class Readiness(TimeProvider time)
{
    public const string Index = "index";

    private readonly ConcurrentDictionary<string, ReadinessProblem> _problems = new(StringComparer.Ordinal);

    public void Report(string component, Exception error)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentNullException.ThrowIfNull(error);
        var now = time.GetUtcNow();
        _problems.AddOrUpdate(
            component,
            _ => new ReadinessProblem(component, error.Message, now, now, 1),
            (_, known) => known with { Error = error.Message, LastFailure = now, Failures = known.Failures + 1 });
    }

    public void Clear(string component) => _problems.TryRemove(component, out _);

    /// <summary>The current problems, by component name.</summary>
    public IReadOnlyList<ReadinessProblem> Problems => [.. _problems.Values.OrderBy(p => p.Component, StringComparer.Ordinal)];
}

/// <summary>One component's failure: the last error, since when it fails, and how many attempts failed.</summary>
public sealed record ReadinessProblem(string Component, string Error, DateTimeOffset Since, DateTimeOffset LastFailure, int Failures);
