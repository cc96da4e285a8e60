using System.Globalization;
using System.CommandLine;
using System.Text.Json;
using SemanticSearch.Query;
using Spectre.Console;

namespace SemanticSearch.Local.Commands;

/// <summary><c>search "text" --data DIR [--top N] [--mode M] [--json]</c>.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("query") { Description = "What to search for, in your own words." };
        var data = CommonOptions.Data();
        var top = new Option<string?>("--top") { Description = $"Results to show ({SearchRequest.MinTop}-{SearchRequest.MaxTop}, default {SearchRequest.DefaultTop})." };
        var mode = new Option<string?>("--mode") { Description = "hybrid (default), vector or keyword." };
        var json = new Option<bool>("--json") { Description = "Print the same JSON the HTTP API returns." };
        var command = new Command("search", "Search the ingested documents.") { text, data, top, mode, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(text)!, parse.GetValue(top), parse.GetValue(mode), parse.GetValue(json), parse.GetValue(data)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string text, string? top, string? mode, bool json, DirectoryInfo data, CancellationToken cancellationToken)
    {
        var parsed = SearchRequestParser.Parse(text, top, mode);
        if (!parsed.IsValid)
        {
            foreach (var error in parsed.Errors.Values.SelectMany(e => e))
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{error}[/]");
            }
            return 2;
        }
        await using var services = await CommandServices.BuildAsync(CommonOptions.Settings(data), cancellationToken).ConfigureAwait(false);
        var response = await services.GetRequiredService<SearchService>().SearchAsync(parsed.Request!, cancellationToken).ConfigureAwait(false);

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(response, JsonOptions));
            return 0;
        }
        if (response.Results.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]No results.[/] Did you ingest a folder into this --data folder?");
            return 0;
        }
        var table = new Table().AddColumns("#", "score", "document", "text");
        var rank = 1;
        foreach (var result in response.Results)
        {
            table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), result.Score.ToString("G4", CultureInfo.InvariantCulture), Markup.Escape(result.DocumentId), Markup.Escape(Snippet(result.Content)));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static string Snippet(string content)
    {
        var flat = content.ReplaceLineEndings(" ");
        return flat.Length <= 160 ? flat : string.Concat(flat.AsSpan(0, 157), "...");
    }
}
