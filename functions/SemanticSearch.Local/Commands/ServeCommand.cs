using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SemanticSearch.Configuration;
using SemanticSearch.Local.Folders;
using SemanticSearch.Local.Server;

namespace SemanticSearch.Local.Commands;

/// <summary><c>serve --docs DIR --data DIR --urls URL</c>: ingest a folder, keep watching it, and serve the HTTP API.</summary>
internal static partial class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:7071";

    public static Command Create()
    {
        var docs = new Option<DirectoryInfo>("--docs") { Description = "Folder of documents to ingest and watch.", Required = true };
        var data = CommonOptions.Data();
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => DefaultUrls };
        var command = new Command("serve", "Serve the search API over a folder of documents, kept in sync as files change.") { docs, data, urls };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(docs)!, parse.GetValue(data)!, parse.GetValue(urls)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo docs, DirectoryInfo data, string urls, CancellationToken cancellationToken)
    {
        if (!docs.Exists)
        {
            Console.Error.WriteLine($"No folder {docs.FullName}: --docs must name an existing folder of documents.");
            return 2;
        }
        var settings = CommonOptions.Settings(data);
        settings["urls"] = urls;
        var app = BuildFolderServer([], settings, docs.FullName);
        await using (app.ConfigureAwait(false))
        {
            await app.Services.InitializeSemanticSearchAsync(cancellationToken).ConfigureAwait(false);
            LogServing(app.Logger, docs.FullName, data.FullName, urls);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>The server over a folder; tests build it the same way.</summary>
    public static WebApplication BuildFolderServer(string[] args, IReadOnlyDictionary<string, string?> settings, string docs, Action<WebApplicationBuilder>? configure = null) =>
        LocalServer.Build(args, settings, builder =>
        {
            builder.Services.AddSingleton<FolderIngestion>();
            builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<FolderWatcher>(sp, docs));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<FolderWatcher>());
            configure?.Invoke(builder);
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Docs} (data in {Data}) on {Urls}")]
    private static partial void LogServing(ILogger logger, string docs, string data, string urls);
}
