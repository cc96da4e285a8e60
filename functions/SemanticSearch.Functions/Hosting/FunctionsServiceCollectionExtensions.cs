using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Blobs;
using SemanticSearch.Configuration;

namespace SemanticSearch.Functions.Hosting;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Everything the functions use, on top of the worker's own services; tests compose the same.</summary>
    public static IServiceCollection AddSemanticSearchFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSemanticSearch(configuration);
        services.AddBlobIngestion(_ => StorageAccount.CreateBlobServiceClient(configuration, FunctionsSettings.StorageConnection));
        // The HTTP functions return IActionResult; the ASP.NET Core integration executes it with MVC's executors.
        services.AddMvcCore();
        services.AddHostedService<StartupCheck>();
        return services;
    }
}
