using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// The Bicep CLI from the NuGet package pinned in infra/tools/BicepCli.props (the same one infra/check.sh uses).
/// This project's restore downloads it; when it is missing the tests fail and say how to get it, never skip.
/// </summary>
internal static partial class BicepCli
{
    private static readonly Lazy<string> LazyExecutable = new(PrepareExecutable);

    public static string Version => Metadata("BicepCliVersion");

    public static BicepResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(LazyExecutable.Value)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran for more than 2 minutes");
        }

        return new BicepResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string PrepareExecutable()
    {
        var package = Metadata("BicepCliPackage");
        var packageRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Metadata("NuGetPackageRoot");
        var packaged = Path.Combine(packageRoot, package.ToLowerInvariant(), Version, "tools", "bicep");
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                $"{package} runs on linux-x64 only; this is {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}.");
        }

        if (!File.Exists(packaged))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI {Version} is not at {packaged}. Run `bash infra/check.sh` (it restores {package} from NuGet), then run the tests again.",
                packaged);
        }

        // The package may not carry the execute bit: run a copy that has it.
        var copy = Path.Combine(AppContext.BaseDirectory, "bicep-cli", $"bicep-{Version}");
        if (!File.Exists(copy) || new FileInfo(copy).Length != new FileInfo(packaged).Length)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            var temporary = $"{copy}.{Environment.ProcessId}.tmp";
            File.Copy(packaged, temporary, overwrite: true);
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(temporary, copy, overwrite: true);
        }

        return copy;
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata (see the .csproj).");

    [GeneratedRegex(@" : (Error|Warning|Info) ")]
    internal static partial Regex DiagnosticLine();
}

internal sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    /// <summary>Diagnostic lines (errors, warnings, infos) the CLI printed on either stream.</summary>
    public IReadOnlyList<string> Diagnostics =>
        (Output + "\n" + Errors).Split('\n').Where(line => BicepCli.DiagnosticLine().IsMatch(line)).ToArray();
}
