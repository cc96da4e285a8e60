using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace SemanticSearch.Functions.Hosting;

/// <summary>
/// The blob client for a Functions connection setting, read the way the host reads it for the triggers: a
/// connection string, or an identity-based connection (<c>{name}__blobServiceUri</c> or <c>{name}__accountName</c>,
/// with <c>{name}__credential=managedidentity</c> and <c>{name}__clientId</c> for a user-assigned identity).
/// </summary>
public static class StorageAccount
{
    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(connectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new BlobServiceClient(section.Value);
        }
        var endpoint = section["blobServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.blob.core.windows.net")
            : throw new InvalidOperationException($"{connectionName} is not set: give a connection string, or {connectionName}__accountName or {connectionName}__blobServiceUri for a managed identity.");
        return new BlobServiceClient(endpoint, Credential(section));
    }

    /// <summary>The queue client for a Functions connection setting, read like <see cref="CreateBlobServiceClient"/>
    /// (<c>{name}__queueServiceUri</c> or <c>{name}__accountName</c> for an identity); messages Base64-encoded as the
    /// queue trigger expects them (host.json <c>messageEncoding</c>).</summary>
    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(connectionName);
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new QueueServiceClient(section.Value, options);
        }
        var endpoint = section["queueServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.queue.core.windows.net")
            : throw new InvalidOperationException($"{connectionName} is not set: give a connection string, or {connectionName}__accountName or {connectionName}__queueServiceUri for a managed identity.");
        return new QueueServiceClient(endpoint, Credential(section), options);
    }

    private static TokenCredential Credential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        if (string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
    }
}
