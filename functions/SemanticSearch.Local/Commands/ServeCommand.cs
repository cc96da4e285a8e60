using System.CommandLine;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Local.Blobs;
using SemanticSearch.Local.Folders;
using SemanticSearch.Local.Server;
using SemanticSearch.Sync;

namespace SemanticSearch.Local.Commands;

/// <summary>
/// <c>serve [--docs DIR | --blob-connection CONNECTION [--container NAME]] --data DIR --urls URL</c>: ingest a folder or a
/// blob container, keep following it, and serve the HTTP API; with neither, serve the data folder as it is (an index
/// built by <c>ingest</c>), ingesting and removing nothing.
/// </summary>
internal static partial class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:7071";

    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var docs = new Option<DirectoryInfo?>("--docs") { Description = "Folder of documents to ingest and watch." };
        var blobConnection = new Option<string?>("--blob-connection")
        {
            Description = "Storage connection string of a blob container to ingest and poll instead of a folder (\"UseDevelopmentStorage=true\" for Azurite).",
        };
        var container = new Option<string?>("--container") { Description = "Blob container to ingest with --blob-connection (default: setting Documents:Container, \"documents\")." };
        var pollInterval = new Option<TimeSpan>("--poll-interval")
        {
            Description = "How often the blob container is listed for changes (hh:mm:ss).",
            DefaultValueFactory = _ => DefaultPollInterval,
        };
        var data = CommonOptions.Data();
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => DefaultUrls };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"Key every request must carry (header 'api-key', or ?code= for the page); required to listen beyond loopback. Default: ${ApiKeyGate.Setting}.",
        };
        var trustPrincipal = new Option<bool>("--trust-client-principal")
        {
            Description = "Read each caller's groups from the X-MS-CLIENT-PRINCIPAL header (only behind a proxy that sets it and strips callers' own); otherwise every caller is anonymous.",
        };
        var command = new Command("serve", "Serve the search API over a folder or a blob container of documents, kept in sync as they change (or, with neither, the --data folder as it is).")
        {
            docs, blobConnection, container, pollInterval, data, urls, apiKey, trustPrincipal,
        };
        command.Validators.Add(result =>
        {
            var fromFolder = result.GetResult(docs) is not null;
            var fromBlobs = result.GetResult(blobConnection) is not null;
            if (fromFolder && fromBlobs)
            {
                result.AddError("Give at most one document source: --docs DIR or --blob-connection CONNECTION (neither serves the --data folder as it is).");
            }
            if (result.GetResult(container) is not null && !fromBlobs)
            {
                result.AddError("--container goes with --blob-connection.");
            }
        });
        pollInterval.Validators.Add(result =>
        {
            // A value that is not a time span is the parser's error already; asking for it here would throw.
            if (result.Tokens.Count > 0 && !TimeSpan.TryParse(result.Tokens[^1].Value, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return;
            }
            if (result.GetValueOrDefault<TimeSpan>() <= TimeSpan.Zero)
            {
                result.AddError("--poll-interval must be positive.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var source = parse.GetValue(docs) is { } folder ? DocumentSource.Folder(folder.FullName)
                : parse.GetValue(blobConnection) is { } connection ? DocumentSource.Blobs(connection, parse.GetValue(container), parse.GetValue(pollInterval))
                : DocumentSource.None;
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyGate.Setting);
            return RunAsync(source, parse.GetValue(data)!, parse.GetValue(urls)!, string.IsNullOrEmpty(key) ? null : key, parse.GetValue(trustPrincipal), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DocumentSource source, DirectoryInfo data, string urls, string? apiKey, bool trustPrincipal, CancellationToken cancellationToken)
    {
        if (apiKey is null && !ListenAddresses.AreLoopbackOnly(urls))
        {
            await Console.Error.WriteLineAsync(
                $"Refusing to listen on {urls} without an API key: beyond this machine anyone could read every document. " +
                $"Give one with --api-key or the environment variable {ApiKeyGate.Setting} (at least {ApiKeyGate.MinimumLength} characters), or listen on 127.0.0.1.").ConfigureAwait(false);
            return 2;
        }
        if (apiKey is not null && apiKey.Length < ApiKeyGate.MinimumLength)
        {
            await Console.Error.WriteLineAsync($"The API key must have at least {ApiKeyGate.MinimumLength} characters.").ConfigureAwait(false);
            return 2;
        }
        if (source.FolderPath is { } docs && !Directory.Exists(docs))
        {
            await Console.Error.WriteLineAsync($"No folder {docs}: --docs must name an existing folder of documents.").ConfigureAwait(false);
            return 2;
        }
        if (source.IsNone && !Directory.Exists(Path.Combine(data.FullName, EmbeddedSearchIndex.FolderName)))
        {
            // Bad input: the runner prints it as one line and exits with 2.
            throw new DirectoryNotFoundException($"No index in {data.FullName}: ingest a folder into it first (semantic-search ingest DIR --data {data.FullName}), or give --docs or --blob-connection.");
        }
        var settings = CommonOptions.Settings(data);
        settings["urls"] = urls;
        // The local server has no authentication in front of it: a caller could claim any group, so the header is
        // read only when the user says something trustworthy sets it.
        settings["Http:ClientPrincipal"] = (trustPrincipal ? ClientPrincipalTrust.Trusted : ClientPrincipalTrust.Ignored).ToString();
        settings[ApiKeyGate.Setting] = apiKey;
        var app = source.FolderPath is { } folder ? BuildFolderServer([], settings, folder)
            : source.BlobConnection is { } connection ? BuildBlobServer([], settings, connection, source.Container, source.PollInterval)
            : LocalServer.Build([], settings);
        await using (app.ConfigureAwait(false))
        {
            await app.Services.InitializeSemanticSearchAsync(cancellationToken).ConfigureAwait(false);
            var described = source.FolderPath
                ?? (source.IsNone ? "the index as it is (no document source: nothing is ingested or removed)" : $"blob container {app.Services.GetRequiredService<BlobIngestion>().Container.Name}");
            LogServing(app.Logger, described, data.FullName, urls);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>The server over a folder; tests build it the same way.</summary>
    public static WebApplication BuildFolderServer(string[] args, IReadOnlyDictionary<string, string?> settings, string docs, Action<WebApplicationBuilder>? configure = null) =>
        LocalServer.Build(args, settings, builder =>
        {
            builder.Services.AddSingleton(sp => new FolderDocumentSource(
                docs, sp.GetRequiredService<IOptions<SemanticSearchOptions>>().Value.Data.Path, sp.GetRequiredService<ILogger<FolderDocumentSource>>()));
            builder.Services.AddSingleton<FolderWatcher>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<FolderWatcher>());
            configure?.Invoke(builder);
        });

    /// <summary>
    /// The server over a blob container (Azurite, usually), ingesting through the Functions app's blob code;
    /// <paramref name="container"/> overrides <c>Documents:Container</c>. Tests build it the same way.
    /// </summary>
    public static WebApplication BuildBlobServer(
        string[] args, IReadOnlyDictionary<string, string?> settings, string connectionString, string? container, TimeSpan pollInterval,
        Action<WebApplicationBuilder>? configure = null)
    {
        var effective = new Dictionary<string, string?>(settings);
        if (container is not null)
        {
            effective["Documents:Container"] = container;
        }
        return LocalServer.Build(args, effective, builder =>
        {
            builder.Services.AddBlobIngestion(_ => new BlobServiceClient(connectionString));
            builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BlobContainerWatcher>(sp, pollInterval));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<BlobContainerWatcher>());
            configure?.Invoke(builder);
        });
    }

    private sealed record DocumentSource(string? FolderPath, string? BlobConnection, string? Container, TimeSpan PollInterval)
    {
        /// <summary>No source: serve what the data folder holds, e.g. an index built by <c>ingest</c>, without syncing it.</summary>
        public static readonly DocumentSource None = new(null, null, null, TimeSpan.Zero);

        public bool IsNone => FolderPath is null && BlobConnection is null;

        public static DocumentSource Folder(string path) => new(path, null, null, TimeSpan.Zero);

        public static DocumentSource Blobs(string connection, string? container, TimeSpan pollInterval) => new(null, connection, container, pollInterval);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Source} (data in {Data}) on {Urls}")]
    private static partial void LogServing(ILogger logger, string source, string data, string urls);
}
