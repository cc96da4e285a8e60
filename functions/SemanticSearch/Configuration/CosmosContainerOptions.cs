namespace SemanticSearch.Configuration;

public sealed class CosmosContainerOptions
{
    /// <summary>For the local emulator only; in Azure use <see cref="Endpoint"/> with the managed identity.</summary>
    public string? ConnectionString { get; set; }

    public Uri? Endpoint { get; set; }

    public string Database { get; set; } = "semantic-search";

    public string Container { get; set; } = string.Empty;

    /// <summary>Create the database and container when missing (needs control-plane rights in Azure).</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Expiry of cache items; null keeps them forever.</summary>
    public TimeSpan? TimeToLive { get; set; }
}
