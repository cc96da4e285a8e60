using System.Text.Json;
using Microsoft.Data.Sqlite;

using SemanticSearch.Embeddings;

namespace SemanticSearch.Embedded.Sqlite;

/// <summary>The embedded embedding cache: one SQLite table keyed by <see cref="EmbeddingCacheKey"/> in the data folder.</summary>
public sealed class SqliteEmbeddingCacheStore : IEmbeddingCacheStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS embeddings (
            key TEXT PRIMARY KEY NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase _database;

    public SqliteEmbeddingCacheStore(string path)
    {
        _database = new SqliteDatabase(path, Schema);
    }

    public string Name => "sqlite";

    public Task<IReadOnlyDictionary<string, float[]>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, float[]>(keys.Count, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, float[]>>(found);
        }
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        // One statement for the whole batch, whatever its size: the keys travel as one JSON array parameter.
        command.CommandText = "SELECT key, vector FROM embeddings WHERE key IN (SELECT value FROM json_each($keys))";
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            found[reader.GetString(0)] = VectorBytes.ToVector((byte[])reader.GetValue(1));
        }
        return Task.FromResult<IReadOnlyDictionary<string, float[]>>(found);
    }

    public Task SetManyAsync(IReadOnlyCollection<KeyValuePair<string, float[]>> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO embeddings (key, vector, created_at) VALUES ($key, $vector, $createdAt)";
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        command.Parameters.AddWithValue("$createdAt", DateTimeOffset.UtcNow.ToString("O"));
        foreach (var entry in entries)
        {
            key.Value = entry.Key;
            vector.Value = VectorBytes.ToBytes(entry.Value);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return Task.CompletedTask;
    }
}
