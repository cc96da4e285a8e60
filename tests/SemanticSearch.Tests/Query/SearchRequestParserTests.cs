using SemanticSearch.Indexing;
using SemanticSearch.Query;

namespace SemanticSearch.Tests.Query;

public class SearchRequestParserTests
{
    [Fact]
    public void AppliesDefaults()
    {
        var result = SearchRequestParser.Parse("  bees  ", null, null);
        Assert.Equal(new SearchRequest("bees", 5, RetrievalMode.Hybrid), result.Request);
    }

    [Theory]
    [InlineData("VECTOR", RetrievalMode.Vector)]
    [InlineData("keyword", RetrievalMode.Keyword)]
    [InlineData(" Hybrid ", RetrievalMode.Hybrid)]
    public void ModesAreCaseInsensitive(string mode, RetrievalMode expected) =>
        Assert.Equal(expected, SearchRequestParser.Parse("q", "3", mode).Request!.Mode);

    [Theory]
    [InlineData(null, null, null, "q")]
    [InlineData("   ", null, null, "q")]
    [InlineData("ok", "0", null, "top")]
    [InlineData("ok", "51", null, "top")]
    [InlineData("ok", "five", null, "top")]
    [InlineData("ok", "2.5", null, "top")]
    [InlineData("ok", null, "semantic", "mode")]
    public void NamesTheBadParameter(string? q, string? top, string? mode, string parameter)
    {
        var result = SearchRequestParser.Parse(q, top, mode);
        Assert.False(result.IsValid);
        Assert.Equal([parameter], result.Errors.Keys);
        Assert.Contains($"'{parameter}'", result.Errors[parameter][0], StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsQueriesOverAThousandCharacters()
    {
        Assert.True(SearchRequestParser.Parse(new string('a', 1000), null, null).IsValid);
        var result = SearchRequestParser.Parse(new string('a', 1001), null, null);
        Assert.Contains("1001 characters", result.Errors["q"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsEveryBadParameterAtOnce()
    {
        var result = SearchRequestParser.Parse("", "-1", "x");
        Assert.Equal(["mode", "q", "top"], result.Errors.Keys.Order());
    }
}
