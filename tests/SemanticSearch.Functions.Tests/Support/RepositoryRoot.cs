namespace SemanticSearch.Functions.Tests.Support;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Functions.sln, found upwards from the test binaries.</summary>
    public static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Functions.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}; the tests must run from a build inside the repository.");
    }
}
