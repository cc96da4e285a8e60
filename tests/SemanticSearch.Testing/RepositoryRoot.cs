namespace SemanticSearch.Testing;

/// <summary>The checkout the tests run from: the folder above the test output that holds Functions.sln.</summary>
public static class RepositoryRoot
{
    public static string? TryFind()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    public static string Find() =>
        TryFind() ?? throw new DirectoryNotFoundException($"No Functions.sln above {AppContext.BaseDirectory}; the tests must run from a build inside the repository.");

    public static string File(string relativePath) => Path.Combine(Find(), relativePath);
}
