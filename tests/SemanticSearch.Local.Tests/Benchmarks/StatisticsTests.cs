using SemanticSearch.Local.Benchmarks;

namespace SemanticSearch.Local.Tests.Benchmarks;

public sealed class StatisticsTests
{
    [Fact]
    public void SummaryTakesTheMiddleValueOrTheMeanOfTheTwoMiddleValues()
    {
        Assert.Equal(new Summary(1, 3, 9), Summary.Of([9, 1, 3]));
        Assert.Equal(new Summary(1, 2.5, 4), Summary.Of([4, 1, 2, 3]));
        Assert.Equal(new Summary(7, 7, 7), Summary.Of([7]));
    }

    [Fact]
    public void PercentilesInterpolateBetweenTheClosestRanks()
    {
        double[] samples = [10, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(5.5, Percentiles.Of(samples, 50), 12);
        // Rank 0.99 × 9 = 8.91: 9 + 0.91 × (10 − 9).
        Assert.Equal(9.91, Percentiles.Of(samples, 99), 12);
        Assert.Equal(1, Percentiles.Of(samples, 0));
        Assert.Equal(10, Percentiles.Of(samples, 100));
    }
}
