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
        // The HTTP functions return IActionResult, executed with MVC's result executors. The ASP.NET Core integration
        // registers them as well; adding them here keeps this composition whole where no worker runs (tests).
        services.AddMvcCore();
        services.AddHostedService<StartupCheck>();
        return services;
    }
}
