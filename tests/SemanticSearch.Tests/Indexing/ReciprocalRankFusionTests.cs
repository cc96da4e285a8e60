using SemanticSearch.Indexing;

namespace SemanticSearch.Tests.Indexing;

public class ReciprocalRankFusionTests
{
    [Fact]
    public void SumsReciprocalRanks()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["c", "a"]], k: 60);

        Assert.Equal(["a", "c", "b"], fused.Select(f => f.Key));
        Assert.Equal(1.0 / 61 + 1.0 / 62, fused[0].Score, 12);
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
    }

    [Fact]
    public void TiesKeepFirstSeenOrder()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["x"], ["y"]]);
        Assert.Equal(["x", "y"], fused.Select(f => f.Key));
    }

    [Fact]
    public void WeightsScaleEachListsContribution()
    {
        // x leads the first list, y the second; weighting the second list twice as much puts y first.
        var fused = ReciprocalRankFusion.Fuse<string>([["x", "y"], ["y", "x"]], k: 10, weights: [1.0, 2.0]);

        Assert.Equal(["y", "x"], fused.Select(f => f.Key));
        Assert.Equal(1.0 / 12 + 2.0 / 11, fused[0].Score, 12);
        Assert.Equal(1.0 / 11 + 2.0 / 12, fused[1].Score, 12);
    }
}
