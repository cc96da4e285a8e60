using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;

namespace SemanticSearch.AzureBackends.BlobStorage;

public static class BlobIngestionServiceCollectionExtensions
{
    /// <summary>
    /// Adds ingestion from the blob container named by <c>Documents:Container</c>. The host says how to reach the
    /// storage account (a connection string locally, a managed identity in Azure); everything else is shared.
    /// </summary>
    public static IServiceCollection AddBlobIngestion(this IServiceCollection services, Func<IServiceProvider, BlobServiceClient> account)
    {
        ArgumentNullException.ThrowIfNull(account);
        services.TryAddSingleton(sp => account(sp).GetBlobContainerClient(sp.GetRequiredService<IOptions<DocumentsOptions>>().Value.Container));
        services.TryAddSingleton<BlobDocumentSource>();
        services.TryAddSingleton<BlobIngestion>();
        return services;
    }
}
