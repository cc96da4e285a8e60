using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using SemanticSearch.Configuration;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// The container a store works in, created on first use when <see cref="CosmosContainerOptions.CreateIfMissing"/>
/// (database and container, partition key <c>/id</c>). A failed creation is retried on the next call rather than
/// remembered, so a transient outage at start-up heals itself.
/// </summary>
/// <remarks>
/// Every container here is a key-value store: items are read by id (point reads, ReadMany) or listed whole, never
/// filtered. So the indexing policy excludes every path, which makes writes cheaper (no index terms for a vector or a
/// cached payload) and costs nothing in reads. Time to live is switched on (<c>DefaultTimeToLive = -1</c>: items
/// live forever unless they carry their own <c>ttl</c>), so a configured expiry takes effect in Azure.
/// </remarks>
public sealed partial class CosmosContainerConnection
{
    private readonly CosmosClient _client;
    private readonly CosmosContainerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<Container>? _opening;
    private volatile Container? _container;

    public CosmosContainerConnection(CosmosClient client, CosmosContainerOptions options, ILogger logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public CosmosContainerOptions Options => _options;

    /// <summary>The container properties used when it has to be created.</summary>
    public static ContainerProperties Describe(string container)
    {
        var properties = new ContainerProperties(container, "/id")
        {
            DefaultTimeToLive = -1,
            IndexingPolicy = new IndexingPolicy { Automatic = true, IndexingMode = IndexingMode.Consistent },
        };
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    public async ValueTask<Container> GetAsync(CancellationToken cancellationToken)
    {
        if (_container is { } ready)
        {
            return ready;
        }
        Task<Container> opening;
        lock (_lock)
        {
            // One creation for all callers; it is not tied to any caller's cancellation.
            opening = _opening ??= OpenAsync();
        }
        try
        {
            var container = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
            _container = container;
            return container;
        }
        catch (Exception) when (opening.IsFaulted || opening.IsCanceled)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_opening, opening))
                {
                    _opening = null;
                }
            }
            throw;
        }
    }

    private async Task<Container> OpenAsync()
    {
        if (!_options.CreateIfMissing)
        {
            return _client.GetContainer(_options.Database, _options.Container);
        }
        var database = await _client.CreateDatabaseIfNotExistsAsync(_options.Database).ConfigureAwait(false);
        var container = await database.Database.CreateContainerIfNotExistsAsync(Describe(_options.Container)).ConfigureAwait(false);
        if (container.StatusCode == HttpStatusCode.Created)
        {
            LogCreated(_logger, _options.Database, _options.Container, container.RequestCharge);
        }
        return container.Container;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Cosmos DB container {Database}/{Container} ({RequestCharge} RU)")]
    private static partial void LogCreated(ILogger logger, string database, string container, double requestCharge);
}
