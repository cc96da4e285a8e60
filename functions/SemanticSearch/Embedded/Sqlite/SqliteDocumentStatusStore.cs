using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Embedded.Sqlite;

/// <summary>Document statuses of the embedded default, in the data folder.</summary>
public sealed class SqliteDocumentStatusStore : IDocumentStatusStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS documents (
            document_id TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL,
            chunks INTEGER NOT NULL,
            embeddings_computed INTEGER NOT NULL,
            embeddings_reused INTEGER NOT NULL,
            error TEXT NULL,
            updated_at TEXT NOT NULL,
            content_hash TEXT NULL,
            pipeline_version TEXT NULL,
            source_version TEXT NULL,
            source_modified_at TEXT NULL
        ) WITHOUT ROWID;
        """;

    private const string Columns = "document_id, state, chunks, embeddings_computed, embeddings_reused, error, updated_at, content_hash, pipeline_version, source_version, source_modified_at";

    private readonly SqliteDatabase _database;

    public SqliteDocumentStatusStore(string path)
    {
        _database = new SqliteDatabase(path, Schema);
        // Data folders written before statuses kept the source's version stamp.
        _database.AddColumnIfMissing("documents", "source_version", "TEXT NULL");
        // ... and before they kept its modification time (issue 14: an older version never overwrites a newer one).
        _database.AddColumnIfMissing("documents", "source_modified_at", "TEXT NULL");
    }

    public string Name => "sqlite";

    public Task<DocumentStatus?> GetAsync(string documentId, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM documents WHERE document_id = $id";
        command.Parameters.AddWithValue("$id", documentId);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? Read(reader) : null);
    }

    /// <summary>Pages in document-id order; the token is the last id of a page (keyset paging: no page skips or repeats a document).</summary>
    public Task<DocumentStatusPage> ListAsync(int top, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var after = continuationToken is null ? null : ContinuationToken.Decode(continuationToken);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM documents WHERE $after IS NULL OR document_id > $after ORDER BY document_id LIMIT $limit";
        command.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
        // One more than asked tells whether another page follows.
        command.Parameters.AddWithValue("$limit", top + 1);
        using var reader = command.ExecuteReader();
        var statuses = new List<DocumentStatus>(Math.Min(top + 1, 1024));
        while (reader.Read())
        {
            statuses.Add(Read(reader));
        }
        var more = statuses.Count > top;
        if (more)
        {
            statuses.RemoveAt(top);
        }
        return Task.FromResult(new DocumentStatusPage(statuses, more ? ContinuationToken.Encode(statuses[^1].DocumentId) : null));
    }

    public Task SetAsync(DocumentStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT OR REPLACE INTO documents ({Columns})
            VALUES ($id, $state, $chunks, $computed, $reused, $error, $updatedAt, $hash, $pipeline, $sourceVersion, $sourceModifiedAt)
            """;
        command.Parameters.AddWithValue("$id", status.DocumentId);
        command.Parameters.AddWithValue("$state", status.State.ToString());
        command.Parameters.AddWithValue("$chunks", status.Chunks);
        command.Parameters.AddWithValue("$computed", status.EmbeddingsComputed);
        command.Parameters.AddWithValue("$reused", status.EmbeddingsReused);
        command.Parameters.AddWithValue("$error", (object?)status.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$updatedAt", status.UpdatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$hash", (object?)status.ContentHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$pipeline", (object?)status.PipelineVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("$sourceVersion", (object?)status.SourceVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("$sourceModifiedAt", (object?)status.SourceModifiedAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? DBNull.Value);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    /// <summary>The range asked of SQLite itself (binary collation: the UTF-8 order blob listings use), in keyset pages.</summary>
    public async IAsyncEnumerable<DocumentStatus> ListRangeAsync(DocumentIdRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var after = range.After;
        while (true)
        {
            var page = new List<DocumentStatus>(DocumentStatusStoreExtensions.ListPageSize);
            using (var connection = _database.Open())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"""
                    SELECT {Columns} FROM documents
                    WHERE ($after IS NULL OR document_id > $after) AND ($through IS NULL OR document_id <= $through)
                    ORDER BY document_id LIMIT $limit
                    """;
                command.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
                command.Parameters.AddWithValue("$through", (object?)range.Through ?? DBNull.Value);
                command.Parameters.AddWithValue("$limit", DocumentStatusStoreExtensions.ListPageSize);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    page.Add(Read(reader));
                }
            }
            foreach (var status in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return status;
            }
            if (page.Count < DocumentStatusStoreExtensions.ListPageSize)
            {
                yield break;
            }
            after = page[^1].DocumentId;
            await Task.Yield();
        }
    }

    public Task RemoveAsync(string documentId, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM documents WHERE document_id = $id";
        command.Parameters.AddWithValue("$id", documentId);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private static DocumentStatus Read(SqliteDataReader reader) => new()
    {
        DocumentId = reader.GetString(0),
        State = Enum.Parse<DocumentState>(reader.GetString(1)),
        Chunks = reader.GetInt32(2),
        EmbeddingsComputed = reader.GetInt32(3),
        EmbeddingsReused = reader.GetInt32(4),
        Error = reader.IsDBNull(5) ? null : reader.GetString(5),
        UpdatedAt = DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        ContentHash = reader.IsDBNull(7) ? null : reader.GetString(7),
        PipelineVersion = reader.IsDBNull(8) ? null : reader.GetString(8),
        SourceVersion = reader.IsDBNull(9) ? null : reader.GetString(9),
        SourceModifiedAt = reader.IsDBNull(10) ? null : DateTimeOffset.Parse(reader.GetString(10), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
    };
}
