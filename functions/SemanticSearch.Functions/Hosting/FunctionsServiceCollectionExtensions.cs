using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.AzureBackends;
using SemanticSearch.Configuration;
using SemanticSearch.Functions.Reconciliation;
using SemanticSearch.Ingestion;
using SemanticSearch.Http;

namespace SemanticSearch.Functions.Hosting;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Everything the functions use, on top of the worker's own services; tests compose the same.</summary>
    public static IServiceCollection AddSemanticSearchFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        // Several instances ingest at once: documents are locked by blob leases in the host's storage account, not
        // within one process (registered first, so the core's in-process default does not take its place).
        services.TryAddSingleton<IDocumentLocks>(sp => new BlobLeaseDocumentLocks(
            StorageAccount.CreateBlobServiceClient(configuration, FunctionsSettings.StorageConnection).GetBlobContainerClient(FunctionsSettings.DocumentLocksContainer),
            sp.GetRequiredService<ILogger<BlobLeaseDocumentLocks>>()));
        services.AddSemanticSearch(configuration).AddAzureBackends().AddSemanticSearchHttpApi();
        services.AddBlobIngestion(_ => StorageAccount.CreateBlobServiceClient(configuration, FunctionsSettings.StorageConnection));
        services.TryAddSingleton(_ => new ReconcileWorkSender(
            StorageAccount.CreateQueueServiceClient(configuration, FunctionsSettings.StorageConnection).GetQueueClient(FunctionsSettings.ReconcileWorkQueue)));
        services.TryAddSingleton(new ReconcileWorkSettings());
        services.TryAddSingleton<ReconcileFanOut>();
        services.AddHostedService<StartupCheck>();
        return services;
    }
}
