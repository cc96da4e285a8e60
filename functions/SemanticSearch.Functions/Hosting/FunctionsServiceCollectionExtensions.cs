using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.AzureBackends;
using SemanticSearch.Configuration;
using SemanticSearch.Http;

namespace SemanticSearch.Functions.Hosting;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Everything the functions use, on top of the worker's own services; tests compose the same.</summary>
    public static IServiceCollection AddSemanticSearchFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSemanticSearch(configuration).AddAzureBackends().AddSemanticSearchHttpApi();
        services.AddBlobIngestion(_ => StorageAccount.CreateBlobServiceClient(configuration, FunctionsSettings.StorageConnection));
        services.AddHostedService<StartupCheck>();
        return services;
    }
}
