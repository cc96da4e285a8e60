using System.CommandLine;
using System.Text.Json;
using SemanticSearch.Indexing;

namespace SemanticSearch.Local.Commands;

/// <summary>
/// Runs the command line so that a user never sees a stack trace: a usage error or bad input (a missing, unreadable
/// or malformed file, a data folder of another encoder) ends with one line on stderr and exit code 2; anything else
/// with one line and exit code 1 (<c>SEMANTIC_SEARCH_TRACE=1</c> prints the whole exception, for a bug report).
/// </summary>
public static class CommandLineRunner
{
    public const int UsageOrInputError = 2;

    public const string TraceVariable = "SEMANTIC_SEARCH_TRACE";

    public static async Task<int> RunAsync(string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        var parse = SemanticSearchCommandLine.Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }
            await error.WriteLineAsync("Run with --help for the usage.").ConfigureAwait(false);
            return UsageOrInputError;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return UsageOrInputError;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync(Environment.GetEnvironmentVariable(TraceVariable) is "1" or "true"
                ? $"error: {ex}"
                : $"error: {ex.GetType().Name}: {ex.Message} (set {TraceVariable}=1 for the details)").ConfigureAwait(false);
            return 1;
        }
    }

    private static bool IsBadInput(Exception exception) => exception is
        FormatException or InvalidDataException or JsonException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or PathTooLongException or VectorSpaceMismatchException
        || (exception is IOException && exception.GetType() == typeof(IOException));
}
