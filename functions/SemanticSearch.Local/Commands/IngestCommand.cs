using System.Globalization;
using System.CommandLine;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;
using Spectre.Console;

namespace SemanticSearch.Local.Commands;

/// <summary><c>ingest DIR --data DIR</c>: brings the index in line with a folder (<see cref="DocumentSync"/>), with a progress bar.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder of documents to ingest (searched recursively)." };
        var data = CommonOptions.Data();
        var command = new Command("ingest", "Ingest every document under a folder; remove documents whose files are gone.") { folder, data };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(folder)!, parse.GetValue(data)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo folder, DirectoryInfo data, CancellationToken cancellationToken)
    {
        if (!folder.Exists)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No folder {folder.FullName}.[/]");
            return 2;
        }
        await using var services = await CommandServices.BuildAsync(CommonOptions.Settings(data), cancellationToken).ConfigureAwait(false);
        var source = new FolderDocumentSource(folder.FullName, data.FullName, services.GetRequiredService<ILogger<FolderDocumentSource>>());

        SyncSummary? summary = null;
        try
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Syncing {Markup.Escape(folder.FullName)}", maxValue: 1);
                    var progress = new SynchronousProgress<SyncProgress>(step =>
                    {
                        task.MaxValue = Math.Max(step.Total, 1);
                        task.Value = step.Completed;
                        if (step.Result is { } result)
                        {
                            task.Description = Markup.Escape(result.DocumentId);
                        }
                    });
                    summary = await services.GetRequiredService<DocumentSync>().SyncAsync(source, progress, cancellationToken).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    task.Description = "Done";
                }).ConfigureAwait(false);
        }
        catch (IndexLockedException locked)
        {
            // Another process is writing this data folder's index; what this run started stays pending for the next.
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{locked.Message}[/]");
            return 3;
        }

        Report(summary!);
        return 0;
    }

    private static void Report(SyncSummary summary)
    {
        var table = new Table { Caption = new TableTitle("up to date: not even read; embeddings: computed by the encoder / reused from the cache") }
            .AddColumns("indexed", "unchanged", "up to date", "failed", "deleted", "chunks", "computed", "reused", "seconds");
        table.AddRow(
            summary.Count(IngestionOutcome.Indexed).ToString(CultureInfo.InvariantCulture), summary.Count(IngestionOutcome.Unchanged).ToString(CultureInfo.InvariantCulture),
            summary.UpToDate.ToString(CultureInfo.InvariantCulture),
            summary.Count(IngestionOutcome.Failed).ToString(CultureInfo.InvariantCulture), summary.Count(IngestionOutcome.Deleted).ToString(CultureInfo.InvariantCulture),
            summary.Chunks.ToString(CultureInfo.InvariantCulture), summary.EmbeddingsComputed.ToString(CultureInfo.InvariantCulture), summary.EmbeddingsReused.ToString(CultureInfo.InvariantCulture),
            summary.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var failed in summary.Results.Where(r => r.Outcome == IngestionOutcome.Failed))
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]failed[/] {failed.DocumentId}: {failed.Error}");
        }
    }
}
