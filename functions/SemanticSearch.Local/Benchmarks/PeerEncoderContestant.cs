using System.Diagnostics;
using System.Globalization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Another encoder in a child process, driven over stdin so that it is timed interleaved with ours under the same machine
/// load (benchmarks/peer-transformersjs/bench.mjs is the reference implementation). Started as
/// <c>/bin/sh -c "&lt;command&gt; --serve --texts FILE --batch N"</c>, it prints any lines, one of them
/// <c>peer &lt;name&gt;: ...</c>, then <c>READY &lt;session ms&gt;</c>; it answers <c>embed &lt;start&gt; &lt;count&gt;</c> and
/// <c>query &lt;index&gt;</c> with <c>DONE &lt;ms&gt;</c>, timing itself so the pipe is not charged to it, and exits on <c>quit</c>.
/// </summary>
internal sealed class PeerEncoderContestant : IEncoderContestant
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;

    private PeerEncoderContestant(Process process, string name, double sessionMilliseconds, IReadOnlyList<string> startupLines)
    {
        _process = process;
        Name = name;
        SessionMilliseconds = sessionMilliseconds;
        StartupLines = startupLines;
    }

    public string Name { get; }

    public string Kind => "peer";

    public double SessionMilliseconds { get; }

    public long? ModelBytes => null;

    /// <summary>What the peer printed before READY (its own checks of the known-good values, for the report).</summary>
    public IReadOnlyList<string> StartupLines { get; }

    public static async Task<PeerEncoderContestant> StartAsync(string command, string textsPath, int batch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"{command} --serve --texts '{textsPath.Replace("'", "'\\''", StringComparison.Ordinal)}' --batch {batch}"));

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The peer '{command}' did not start.");
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var lines = new List<string>();
            string name = "peer " + command;
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                if (line is null)
                {
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                    string stderr;
                    lock (errors)
                    {
                        stderr = string.Join(Environment.NewLine, errors.TakeLast(20));
                    }
                    throw new InvalidOperationException(
                        $"The peer '{command}' exited (code {process.ExitCode}) before it was ready. For the transformers.js peer run " +
                        $"`npm ci` in benchmarks/peer-transformersjs first.{Environment.NewLine}{stderr}");
                }

                if (line.StartsWith("READY", StringComparison.Ordinal))
                {
                    double session = double.Parse(line.AsSpan(5).Trim(), CultureInfo.InvariantCulture);
                    return new PeerEncoderContestant(process, name, session, lines);
                }

                lines.Add(line);
                if (line.StartsWith("peer ", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is > 5 and var colon)
                {
                    name = "peer " + line[5..colon];
                }
            }
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    public async Task<double> EmbedAsync(int start, int count, CancellationToken cancellationToken) =>
        await AskAsync(string.Create(CultureInfo.InvariantCulture, $"embed {start} {count}"), cancellationToken).ConfigureAwait(false) / 1000;

    public Task<double> QueryAsync(int index, CancellationToken cancellationToken) =>
        AskAsync(string.Create(CultureInfo.InvariantCulture, $"query {index}"), cancellationToken);

    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
    }

    private async Task<double> AskAsync(string request, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(request.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        string? line = await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null || !line.StartsWith("DONE ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Name} answered '{line ?? "(exited)"}' to '{request}'.");
        }

        return double.Parse(line.AsSpan(5).Trim(), CultureInfo.InvariantCulture);
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.WriteLine("quit");
                process.StandardInput.Flush();
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (Exception error) when (error is IOException or InvalidOperationException)
        {
            // Already gone: nothing to stop.
        }
    }
}
