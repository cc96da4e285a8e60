using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Microsoft.Azure.Cosmos;
using SemanticSearch.Configuration;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// One <see cref="CosmosClient"/> per account, shared by every Cosmos-backed store (embedding cache, document status,
/// index state, result cache), as the SDK asks: a client owns connections, caches and background refreshes.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="CosmosContainerOptions.ConnectionString"/> means a local stand-in (the emulator or
/// @vercel/cosmosdb-server): Gateway mode, <see cref="CosmosClientOptions.LimitToEndpoint"/> (a stand-in has no
/// regional endpoints) and the SDK's own <c>DisableServerCertificateValidation=True</c> connection-string switch for
/// a self-signed certificate. An <see cref="CosmosContainerOptions.Endpoint"/> means Azure with a
/// <see cref="TokenCredential"/> (the managed identity through <c>DefaultAzureCredential</c>), Direct mode.
/// </para>
/// <para>
/// Throttling (429) is retried by the SDK, which waits what the service asks in <c>x-ms-retry-after-ms</c>; we allow
/// more attempts and a longer total wait than a request's own latency budget would suggest because the writers here
/// (ingestion) prefer slow to failed, and the readers degrade gracefully (a cache read that fails is a miss).
/// A 503, a 408 or a broken connection the SDK does not retry on a single-region account; every client here sends
/// those again itself, through <see cref="TransientFailureRetryHandler"/> in the client's request pipeline.
/// </para>
/// </remarks>
public sealed class CosmosClientFactory : IDisposable
{
    /// <summary>
    /// On Linux the SDK asks the gateway for query plans unless this is set; a local stand-in cannot answer, so for
    /// connection-string (local) clients we let the SDK compute plans in process with its bundled native library.
    /// </summary>
    public const string QueryPlanInteropVariable = "AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX";

    public const int MaxRateLimitRetries = 9;

    public static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromSeconds(30);

    /// <summary>Further attempts after a 503, a 408 or a broken connection (see <see cref="TransientFailureRetryHandler"/>).</summary>
    public const int MaxTransientRetries = 5;

    /// <summary>The first wait after a transient failure; doubled for each further attempt (0.5 + 1 + 2 + 4 + 8 s at most).</summary>
    public static readonly TimeSpan TransientRetryDelay = TimeSpan.FromSeconds(0.5);

    /// <summary>The serializer every store uses: System.Text.Json, camelCase, nulls left out.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Func<TokenCredential> _credential;
    private readonly TimeSpan _transientRetryDelay;
    private readonly ConcurrentDictionary<string, Lazy<CosmosClient>> _clients = new(StringComparer.Ordinal);

    /// <param name="credential">Used for endpoint-based (Azure) accounts only; resolved on first use.</param>
    /// <param name="transientRetryDelay">The first wait after a transient failure; <see cref="TransientRetryDelay"/> when null (tests shorten it).</param>
    public CosmosClientFactory(Func<TokenCredential> credential, TimeSpan? transientRetryDelay = null)
    {
        _credential = credential ?? throw new ArgumentNullException(nameof(credential));
        _transientRetryDelay = transientRetryDelay ?? TransientRetryDelay;
    }

    /// <summary>The client for the account that <paramref name="options"/> name, created once.</summary>
    public CosmosClient GetClient(CosmosContainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? "cs:" + options.ConnectionString
            : "ep:" + (options.Endpoint ?? throw new InvalidOperationException("A Cosmos DB account needs an Endpoint or a ConnectionString.")).AbsoluteUri;
        return _clients.GetOrAdd(key, _ => new Lazy<CosmosClient>(() => Create(options), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>True when the options name a local stand-in (a connection string) rather than an Azure account.</summary>
    public static bool IsLocal(CosmosContainerOptions options) => !string.IsNullOrWhiteSpace(options?.ConnectionString);

    /// <summary>The client settings for an account; exposed so tests can check what we configure.</summary>
    public static CosmosClientOptions CreateClientOptions(bool local, TimeSpan? transientRetryDelay = null)
    {
        var options = new CosmosClientOptions
        {
            ApplicationName = "semantic-search",
            UseSystemTextJsonSerializerWithOptions = SerializerOptions,
            MaxRetryAttemptsOnRateLimitedRequests = MaxRateLimitRetries,
            MaxRetryWaitTimeOnRateLimitedRequests = MaxRateLimitWait,
            ConnectionMode = local ? ConnectionMode.Gateway : ConnectionMode.Direct,
            LimitToEndpoint = local,
        };
        // A handler joins one client's pipeline: every options object gets its own.
        options.CustomHandlers.Add(new TransientFailureRetryHandler(MaxTransientRetries, transientRetryDelay ?? TransientRetryDelay));
        return options;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
        _clients.Clear();
    }

    private CosmosClient Create(CosmosContainerOptions options)
    {
        if (IsLocal(options))
        {
            if (Environment.GetEnvironmentVariable(QueryPlanInteropVariable) is null)
            {
                Environment.SetEnvironmentVariable(QueryPlanInteropVariable, "true");
            }
            return new CosmosClient(options.ConnectionString, CreateClientOptions(local: true, _transientRetryDelay));
        }
        return new CosmosClient(options.Endpoint!.AbsoluteUri, _credential(), CreateClientOptions(local: false, _transientRetryDelay));
    }

    /// <summary>The account endpoint inside a connection string, for logs and messages (never the key).</summary>
    public static string DescribeAccount(CosmosContainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsLocal(options))
        {
            return options.Endpoint?.AbsoluteUri ?? "(no endpoint)";
        }
        var builder = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        return builder.TryGetValue("AccountEndpoint", out var endpoint) ? endpoint?.ToString() ?? "(local)" : "(local)";
    }
}
