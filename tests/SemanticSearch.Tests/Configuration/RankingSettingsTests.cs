using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Indexing;

namespace SemanticSearch.Tests.Configuration;

/// <summary>The ranking tunables that eval measures are settings a user can reach: Index:Embedded:*.</summary>
public sealed class RankingSettingsTests
{
    private static SemanticSearchOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddSemanticSearch(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;
    }

    [Fact]
    public void DefaultsAreTheTunedOnes()
    {
        var settings = Bind([]).Index.Embedded.ToSettings();

        Assert.Equal(new EmbeddedIndexSettings(CandidateDepth: 100, RrfK: 10, KeywordWeight: 1.001, VectorWeight: 1), settings);
        Assert.Equal(EmbeddedIndexSettings.Default, settings);
    }

    [Fact]
    public void SettingsBindFromConfiguration()
    {
        var settings = Bind(new()
        {
            ["Index:Embedded:CandidateDepth"] = "200",
            ["Index:Embedded:RrfK"] = "60",
            ["Index:Embedded:KeywordWeight"] = "1.5",
            ["Index:Embedded:VectorWeight"] = "0.5",
        }).Index.Embedded.ToSettings();

        Assert.Equal(new EmbeddedIndexSettings(200, 60, 1.5, 0.5), settings);
    }

    [Fact]
    public void OutOfRangeSettingsAreNamedInTheError()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Index:Embedded:CandidateDepth"] = "0" }));

        Assert.Contains("Index:Embedded:CandidateDepth", error.Message, StringComparison.Ordinal);
    }
}
