using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>Minimum, median and maximum of one figure over the repeats of a benchmark.</summary>
public sealed record Summary(
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("max")] double Max)
{
    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A summary needs at least one value.", nameof(values));
        }
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Summary(sorted[0], median, sorted[^1]);
    }
}
