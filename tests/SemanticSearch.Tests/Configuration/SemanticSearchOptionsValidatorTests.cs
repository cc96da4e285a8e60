using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;

namespace SemanticSearch.Tests.Configuration;

public class SemanticSearchOptionsValidatorTests
{
    private static SemanticSearchOptions Bind(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSemanticSearch(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;
    }

    [Fact]
    public void DefaultsAreValid() => Assert.Equal(256, Bind([]).Chunking.MaxTokens);

    [Theory]
    [InlineData("Encoder:Provider", "AzureOpenAI", "Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI")]
    [InlineData("EmbeddingCache:Provider", "Cosmos", "EmbeddingCache:Cosmos:Endpoint (or EmbeddingCache:Cosmos:ConnectionString for a local emulator) is required")]
    [InlineData("Index:Provider", "AzureAISearch", "Index:AzureAISearch:Endpoint is required when Index:Provider is AzureAISearch")]
    [InlineData("ResultCache:Ttl", "00:00:00", "ResultCache:Ttl must be a positive duration")]
    [InlineData("Chunking:MaxTokens", "4", "Chunking:MaxTokens")]
    [InlineData("Chunking:OverlapTokens", "200", "Chunking:OverlapTokens (200) must be less than half of Chunking:MaxTokens (256)")]
    [InlineData("Documents:Container", "Not_Valid", "Documents:Container must be a valid blob container name")]
    [InlineData("Encoder:BatchSize", "0", "Encoder:BatchSize")]
    [InlineData("Encoder:Onnx:Model", "../elsewhere", "Encoder:Onnx:Model")]
    public void AnInvalidSettingFailsWithAMessageNamingIt(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind([new(key, value)]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownProviderNamesTheSetting()
    {
        var error = Assert.ThrowsAny<InvalidOperationException>(() => Bind([new("Index:Provider", "Elastic")]));
        Assert.Contains("Index:Provider", error.Message, StringComparison.Ordinal);
    }
}
