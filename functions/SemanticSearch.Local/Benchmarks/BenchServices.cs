using Microsoft.Data.Sqlite;
using SemanticSearch.Local.Commands;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>The product's own service composition over a scratch data folder, as the command-line verbs build it.</summary>
internal static class BenchServices
{
    public static Task<ServiceProvider> BuildAsync(string dataFolder, CancellationToken cancellationToken, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Data:Path"] = dataFolder };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return CommandServices.BuildAsync(all, cancellationToken);
    }

    /// <summary>Removes a data folder; pooled SQLite connections would otherwise keep its files open.</summary>
    public static void Delete(string folder)
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Removes some of a data folder's stores (e.g. the index and statuses, keeping the embedding cache): files and folders.</summary>
    public static void DeleteStores(string folder, params string[] stores)
    {
        SqliteConnection.ClearAllPools();
        foreach (var store in stores)
        {
            foreach (var file in Directory.EnumerateFiles(folder, store + "*"))
            {
                File.Delete(file);
            }
            foreach (var directory in Directory.EnumerateDirectories(folder, store))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
