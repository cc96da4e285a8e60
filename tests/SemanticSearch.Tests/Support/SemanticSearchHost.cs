using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Local.Folders;

namespace SemanticSearch.Tests.Support;

/// <summary>The product's real composition (AddSemanticSearch) over in-memory settings, as a host would build it.</summary>
internal static class SemanticSearchHost
{
    public static async Task<ServiceProvider> BuildAsync(
        IReadOnlyDictionary<string, string?> settings,
        IEmbeddingGenerator<string, Embedding<float>>? encoder = null,
        bool initialize = true)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSemanticSearch(configuration);
        services.AddSingleton<FolderIngestion>();
        if (encoder is not null)
        {
            services.AddKeyedSingleton(SemanticSearchServiceCollectionExtensions.EncoderServiceKey, encoder);
        }
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        if (initialize)
        {
            await provider.InitializeSemanticSearchAsync(CancellationToken.None);
        }
        return provider;
    }

    /// <summary>The sample documents copied next to the test binaries.</summary>
    public static string Samples => Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>Copies the samples (without their README) into a fresh folder.</summary>
    public static string CopySamples(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Samples).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }
}
