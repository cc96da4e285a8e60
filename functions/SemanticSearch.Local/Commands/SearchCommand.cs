using System.Globalization;
using System.CommandLine;
using System.Text.Json;
using SemanticSearch.Query;
using Spectre.Console;

namespace SemanticSearch.Local.Commands;

/// <summary>
/// <c>search "text" --data DIR [--top N] [--skip N] [--mode M] [--tag T]... [--folder F] [--type X] [--modified-after D]
/// [--modified-before D] [--json]</c>: the HTTP API's parameters, validated by the same parser.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("query") { Description = "What to search for, in your own words." };
        var data = CommonOptions.Data();
        var top = new Option<string?>("--top") { Description = $"Results to show ({SearchRequest.MinTop}-{SearchRequest.MaxTop}, default {SearchRequest.DefaultTop})." };
        var skip = new Option<string?>("--skip") { Description = $"Results to skip first, for paging (0-{SearchRequest.MaxSkip})." };
        var mode = new Option<string?>("--mode") { Description = "hybrid (default), vector or keyword." };
        var tags = new Option<string[]>("--tag") { Description = "Only documents with this tag (repeatable: all must match).", AllowMultipleArgumentsPerToken = false };
        var folder = new Option<string?>("--folder") { Description = "Only documents under this folder of their source, e.g. reports/2024." };
        var type = new Option<string?>("--type") { Description = "Only documents of this type: the extension without the dot, e.g. pdf." };
        var after = new Option<string?>("--modified-after") { Description = "Only documents changed after this ISO 8601 date or time." };
        var before = new Option<string?>("--modified-before") { Description = "Only documents changed before this ISO 8601 date or time." };
        var json = new Option<bool>("--json") { Description = "Print the same JSON the HTTP API returns." };
        var command = new Command("search", "Search the ingested documents.") { text, data, top, skip, mode, tags, folder, type, after, before, json };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new SearchParameters
            {
                Query = parse.GetValue(text),
                Top = parse.GetValue(top),
                Skip = parse.GetValue(skip),
                Mode = parse.GetValue(mode),
                Tags = parse.GetValue(tags) ?? [],
                Folder = parse.GetValue(folder),
                Type = parse.GetValue(type),
                ModifiedAfter = parse.GetValue(after),
                ModifiedBefore = parse.GetValue(before),
            },
            parse.GetValue(json),
            parse.GetValue(data)!,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(SearchParameters parameters, bool json, DirectoryInfo data, CancellationToken cancellationToken)
    {
        var parsed = SearchRequestParser.Parse(parameters);
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
            // Straight to the console's writer: no markup, no wrapping at the terminal's width.
            AnsiConsole.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(response, JsonOptions));
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

    // The HTTP API's own serializer settings (ASP.NET Core's defaults: camelCase, "<em>" written as is), indented.
    private static readonly JsonSerializerOptions JsonOptions = new(new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions) { WriteIndented = true };

    private static string Snippet(string content)
    {
        var flat = content.ReplaceLineEndings(" ");
        return flat.Length <= 160 ? flat : string.Concat(flat.AsSpan(0, 157), "...");
    }
}
