namespace SemanticSearch.Local.Benchmarks;

/// <summary>Per-repeat latency percentiles, gathered into min/median/max figures.</summary>
internal sealed class LatencySamples
{
    private readonly List<double> _p50 = [];
    private readonly List<double> _p99 = [];

    public void AddRepeat(IReadOnlyList<double> milliseconds)
    {
        _p50.Add(Percentiles.Of(milliseconds, 50));
        _p99.Add(Percentiles.Of(milliseconds, 99));
    }

    public Summary P50 => Summary.Of(_p50);

    public Summary P99 => Summary.Of(_p99);

    public IEnumerable<BenchFigure> Figures(string section, string name) =>
    [
        new(section, name + " p50", "ms", P50),
        new(section, name + " p99", "ms", P99),
    ];
}
