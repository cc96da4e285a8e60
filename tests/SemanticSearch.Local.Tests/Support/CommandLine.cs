using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Tests.Evaluation;

namespace SemanticSearch.Local.Tests.Support;

/// <summary>
/// Runs the executable's verbs in process, capturing what they print. The verbs write through Spectre.Console's
/// process-wide <c>AnsiConsole.Console</c>, so the test classes that use this run one at a time (<see cref="Name"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class CommandLine
{
    public const string Name = "command line (process-wide console)";

    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments)
    {
        using var error = new StringWriter();
        using var console = new CapturedConsole();
        var previous = Spectre.Console.AnsiConsole.Console;
        Spectre.Console.AnsiConsole.Console = console.Console;
        try
        {
            var exitCode = await CommandLineRunner.RunAsync(arguments, error);
            return (exitCode, error + console.Text);
        }
        finally
        {
            Spectre.Console.AnsiConsole.Console = previous;
        }
    }
}
