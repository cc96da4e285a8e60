using System.CommandLine;
using SemanticSearch.Configuration;

namespace SemanticSearch.Local.Commands;

/// <summary>Options every verb shares.</summary>
internal static class CommonOptions
{
    public static Option<DirectoryInfo> Data() => new("--data")
    {
        Description = "Folder of the embedded index, embedding cache and document statuses.",
        DefaultValueFactory = _ => new DirectoryInfo(DataOptions.DefaultPath),
    };

    /// <summary>Configuration the command line imposes on top of appsettings.json and environment variables.</summary>
    public static Dictionary<string, string?> Settings(DirectoryInfo data) => new() { ["Data:Path"] = data.FullName };
}
