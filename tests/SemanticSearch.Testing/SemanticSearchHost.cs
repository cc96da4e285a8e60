using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.AzureBackends;
using SemanticSearch.Sync;

namespace SemanticSearch.Testing;

/// <summary>The product's real composition (AddSemanticSearch) over in-memory settings, as a host would build it.</summary>
public static class SemanticSearchHost
{
    public static async Task<ServiceProvider> BuildAsync(
        IReadOnlyDictionary<string, string?> settings,
        IEmbeddingGenerator<string, Embedding<float>>? encoder = null,
        bool initialize = true,
        Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSemanticSearch(configuration).AddAzureBackends();
        if (encoder is not null)
        {
            services.AddKeyedSingleton(SemanticSearchServiceKeys.UncachedEmbeddingGenerator, encoder);
        }
        // Registered last, so a replacement (a recording index, say) wins over the product's own.
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        if (initialize)
        {
            await provider.InitializeSemanticSearchAsync(CancellationToken.None);
        }
        return provider;
    }

    /// <summary>Brings the index in line with a folder, as <c>ingest</c> and the folder server do.</summary>
    public static Task<SyncSummary> SyncFolderAsync(this IServiceProvider services, string folder) =>
        services.GetRequiredService<DocumentSync>().SyncAsync(new FolderDocumentSource(folder), null, CancellationToken.None);

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
