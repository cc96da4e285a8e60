using Xunit.Sdk;

namespace SemanticSearch.Testing;

/// <summary>
/// Where the SciFact evaluation data lives: <c>SCIFACT_DIR</c>, else <c>../shared/eval/scifact</c> beside the
/// repository. It is never copied into the repository (its licence asks for evaluation use only).
/// </summary>
public static class SciFactData
{
    public static string? Folder { get; } = Locate();

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("SCIFACT_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }
        var root = RepositoryRoot.TryFind();
        if (root is null)
        {
            return null;
        }
        var candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "eval", "scifact"));
        return File.Exists(Path.Combine(candidate, "corpus.jsonl")) ? candidate : null;
    }
}

/// <summary>A fact that needs the SciFact data; reported as skipped (with the reason) where the data is absent.</summary>
[XunitTestCaseDiscoverer("Xunit.Sdk.FactDiscoverer", "xunit.execution.{Platform}")]
public sealed class SciFactFactAttribute : FactAttribute
{
    public SciFactFactAttribute()
    {
        if (SciFactData.Folder is null)
        {
            Skip = "SciFact data not found: set SCIFACT_DIR or place it at ../shared/eval/scifact beside the repository.";
        }
    }
}
