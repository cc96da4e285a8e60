using SemanticSearch.Configuration;
using SemanticSearch.AzureBackends;

namespace SemanticSearch.Local.Commands;

/// <summary>The services of a one-shot verb (ingest, search…): the same composition as the server, without Kestrel.</summary>
internal static class CommandServices
{
    public static IConfiguration Configuration(IReadOnlyDictionary<string, string?> settings) =>
        new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();

    public static async Task<ServiceProvider> BuildAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken, LogLevel logLevel = LogLevel.Warning)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel))
            .AddSemanticSearch(Configuration(settings))
            .AddAzureBackends()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            await services.InitializeSemanticSearchAsync(cancellationToken).ConfigureAwait(false);
            return services;
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
