using System.Diagnostics;
using System.Text;

namespace SemanticSearch.Local.Tests.Support;

/// <summary>
/// The real <c>semantic-search</c> executable as a child process: the build copies <c>semantic-search.dll</c> with its
/// runtimeconfig, deps and models next to the tests, so <c>dotnet semantic-search.dll VERB …</c> runs the product exactly
/// as a user does — in its own process, which a test can kill.
/// </summary>
internal sealed class LocalExecutable : IDisposable
{
    private readonly StringBuilder _output = new();

    private LocalExecutable(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "semantic-search.dll");

    public static LocalExecutable Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var executable = new LocalExecutable(process);
        process.OutputDataReceived += (_, e) => executable.Append(e.Data);
        process.ErrorDataReceived += (_, e) => executable.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return executable;
    }

    /// <summary>Runs a verb to its end and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var run = Start(arguments, environment);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await run.Process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            run.Process.Kill();
            throw new TimeoutException($"semantic-search {string.Join(' ', arguments)} did not end in time:\n{run.Output}");
        }
        return (run.Process.ExitCode, run.Output);
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine's power or the OOM killer ends the process.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: false);
        await Process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            Process.WaitForExit();
        }
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
