using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SemanticSearch.Local.Benchmarks;
using SemanticSearch.Local.Server;
using Spectre.Console;

namespace SemanticSearch.Local.Commands;

/// <summary>
/// <c>load (--url URL | --docs DIR [--data DIR]) [--clients N] [--duration SECONDS]</c>: many clients against the HTTP API
/// at once (<see cref="LoadRun"/>), reporting cached and new-query latency, throughput, responses by status and errors.
/// With <c>--docs</c> it starts <c>serve</c> as a separate process (so the clients do not share the server's CPU
/// accounting or thread pool), waits for its first sync, and stops it at the end.
/// </summary>
internal static class LoadCommand
{
    public const int DefaultClients = 200;
    public const int DefaultSeconds = 60;
    public const string DefaultCachedQuery = "how do honeybees find flowers";
    public const int DefaultPauseMs = 100;

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "A running server to load (e.g. http://127.0.0.1:7071)." };
        var docs = new Option<DirectoryInfo?>("--docs") { Description = "Instead of --url: start 'serve' over this folder for the run." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "With --docs: the server's data folder (default: a temporary folder, removed at the end)." };
        var clients = new Option<int>("--clients") { Description = $"Concurrent clients; half send new queries, half repeat a cached one (default {DefaultClients}).", DefaultValueFactory = _ => DefaultClients };
        var duration = new Option<int>("--duration") { Description = $"Seconds to run (default {DefaultSeconds}).", DefaultValueFactory = _ => DefaultSeconds };
        var cached = new Option<string>("--cached-query") { Description = "The query the cached half repeats.", DefaultValueFactory = _ => DefaultCachedQuery };
        var apiKey = new Option<string?>("--api-key") { Description = $"Key to send (header 'api-key'); default ${ApiKeyGate.Setting}." };
        var output = new Option<FileInfo?>("--output") { Description = "Also write the figures as JSON here." };
        var newPercent = new Option<int>("--new-percent")
        {
            Description = "Share of the clients that send new queries, in percent (default 50; 0 measures cached answers with the encoder idle).",
            DefaultValueFactory = _ => 50,
        };
        var pause = new Option<int>("--pause")
        {
            Description = $"Milliseconds each client waits after an answer before its next request (default {DefaultPauseMs}; 0 = back to back, which measures the server's saturation rather than a wait).",
            DefaultValueFactory = _ => DefaultPauseMs,
        };
        var command = new Command("load", "Load the HTTP API with many clients: cached and new-query latency, throughput, responses by status.")
        {
            url, docs, data, clients, duration, cached, apiKey, output, pause, newPercent,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(url) is null) == (result.GetResult(docs) is null))
            {
                result.AddError("Give exactly one server: --url URL (running) or --docs DIR (started for the run).");
            }
            if (result.GetResult(data) is not null && result.GetResult(docs) is null)
            {
                result.AddError("--data goes with --docs.");
            }
        });
        Within(clients, 2, 10_000, "");
        Within(duration, 1, 86_400, " seconds");
        Within(newPercent, 0, 100, "");
        Within(pause, 0, 60_000, " milliseconds");
        url.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && ParseUrl(value) is null)
            {
                result.AddError("--url must be an absolute http(s) address.");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(url) is { } address ? ParseUrl(address) : null, parse.GetValue(docs), parse.GetValue(data), parse.GetValue(clients), TimeSpan.FromSeconds(parse.GetValue(duration)),
            parse.GetValue(cached)!, parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyGate.Setting), parse.GetValue(output),
            TimeSpan.FromMilliseconds(parse.GetValue(pause)), parse.GetValue(newPercent), AnsiConsole.Console, cancellationToken));
        return command;
    }

    /// <summary>The option's number, or null when it is not one (the parser has already said so).</summary>
    /// <summary>A whole-number option must lie in [<paramref name="min"/>, <paramref name="max"/>]; the error names the option.</summary>
    private static void Within(Option<int> option, int min, int max, string unit) =>
        option.Validators.Add(result =>
        {
            if (Parsed(result) is { } value && (value < min || value > max))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {min} to {max}{unit}."));
            }
        });

    private static int? Parsed(System.CommandLine.Parsing.OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<int>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An absolute http(s) address, or null.</summary>
    private static Uri? ParseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    public static async Task<int> RunAsync(
        Uri? url, DirectoryInfo? docs, DirectoryInfo? data, int clients, TimeSpan duration, string cachedQuery, string? apiKey, FileInfo? output,
        TimeSpan pause, int newPercent, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (docs is { Exists: false })
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No folder {docs.FullName}: --docs must name an existing folder of documents.[/]");
            return CommandLineRunner.UsageOrInputError;
        }
        LoadReport report;
        if (url is not null)
        {
            report = await new LoadRun(url, clients, duration, cachedQuery, string.IsNullOrEmpty(apiKey) ? null : apiKey, pause, newPercent).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var temporary = data is null ? Path.Combine(Path.GetTempPath(), "semantic-search-load", Guid.NewGuid().ToString("N")) : null;
            try
            {
                await using var server = await ServerProcess.StartAsync(docs!.FullName, data?.FullName ?? temporary!, console, cancellationToken).ConfigureAwait(false);
                report = await new LoadRun(server.Address, clients, duration, cachedQuery, null, pause, newPercent).RunAsync(cancellationToken).ConfigureAwait(false);
                report = report with { Server = $"{report.Server} (serve started for the run; working set {server.WorkingSetMiB():F0} MiB at the end)" };
            }
            finally
            {
                if (temporary is not null && Directory.Exists(temporary))
                {
                    Directory.Delete(temporary, recursive: true);
                }
            }
        }

        Print(report, console);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output.FullName, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Figures written to {output.FullName}");
        }
        return report.Errors == 0 ? 0 : 1;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static void Print(LoadReport report, IAnsiConsole console)
    {
        var table = new Table
        {
            Title = new TableTitle($"{report.Clients} clients ({report.PauseMs} ms pause) for {report.Seconds:F1} s against {Markup.Escape(report.Server)}"),
            Caption = new TableTitle($"latency of 200 responses as the client saw it; {report.Cores} cores, load average {report.LoadAverageBefore} before, {report.LoadAverageAfter} after"),
        };
        table.AddColumns("requests", "sent", "200", "429", "503", "other", "p50 ms", "p99 ms", "max ms", "200/s");
        foreach (var (name, figures) in report.Classes)
        {
            table.AddRow(
                name, N(figures.Requests), N(figures.Ok), N(figures.TooManyRequests), N(figures.Unavailable), N(figures.Other),
                Ms(figures.P50Ms), Ms(figures.P99Ms), Ms(figures.MaxMs), figures.OkPerSecond.ToString("F1", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"errors: {report.Errors} (a 429/503 with Retry-After is shedding, not an error)");
        foreach (var error in report.FirstErrors)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{error}[/]");
        }

        static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        static string Ms(double? value) => value?.ToString("F1", CultureInfo.InvariantCulture) ?? "-";
    }

    /// <summary><c>serve</c> as a child process of this same executable, on a free loopback port.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public double WorkingSetMiB()
        {
            _process.Refresh();
            return _process.HasExited ? 0 : _process.WorkingSet64 / 1048576.0;
        }

        public static async Task<ServerProcess> StartAsync(string docs, string data, IAnsiConsole console, CancellationToken cancellationToken)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}");
            var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(LoadCommand).Assembly.Location);
            }
            foreach (var argument in new[] { "serve", "--docs", docs, "--data", data, "--urls", address.ToString().TrimEnd('/') })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start)!;
            var server = new ServerProcess(process, address);
            var log = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Starting serve over {docs} on {address} and waiting for its first sync…");
                await WaitUntilSyncedAsync(address, process, cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                string output;
                lock (log)
                {
                    output = log.ToString();
                }
                throw new InvalidOperationException($"serve did not come up: {output.Trim().Split('\n').LastOrDefault()}");
            }
        }

        /// <summary>Healthy, and the document list has stopped growing with nothing pending for two seconds.</summary>
        private static async Task WaitUntilSyncedAsync(Uri address, Process process, CancellationToken cancellationToken)
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            var deadline = Stopwatch.StartNew();
            var stable = Stopwatch.StartNew();
            var lastCount = -1;
            while (deadline.Elapsed < TimeSpan.FromMinutes(10))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"serve exited with code {process.ExitCode}.");
                }
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
                try
                {
                    using var health = await http.GetAsync(new Uri("/api/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                    if (health.StatusCode != HttpStatusCode.OK)
                    {
                        continue;
                    }
                    var list = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/documents?top=1000", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                    var documents = list.GetProperty("documents").EnumerateArray().ToList();
                    var pending = documents.Any(d => d.GetProperty("status").GetString() == "pending");
                    if (documents.Count != lastCount || pending)
                    {
                        lastCount = documents.Count;
                        stable.Restart();
                    }
                    else if (stable.Elapsed >= TimeSpan.FromSeconds(2) && documents.Count > 0)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
            }
            throw new TimeoutException("serve did not finish its first sync within 10 minutes.");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
            _process.Dispose();
        }
    }
}
