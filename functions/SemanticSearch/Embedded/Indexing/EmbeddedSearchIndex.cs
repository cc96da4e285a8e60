using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SemanticSearch.Embedded.Sqlite;

using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The search index of the embedded default: one SQLite file with the chunks, an FTS5 table over their text (BM25,
/// Porter stemming, diacritics folded), and every vector held in memory for exact SIMD cosine search. Hybrid results
/// are fused with reciprocal rank fusion. A document's replacement is one SQLite transaction applied to memory under
/// a writer lock, so no search ever sees half a document. The generation lives in the same file and is checked on
/// every call, so a second process (the CLI writing while the server reads) is noticed and the vectors reloaded.
/// </summary>
public sealed class EmbeddedSearchIndex : ISearchIndex, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS chunks (
            id INTEGER PRIMARY KEY,
            chunk_id TEXT NOT NULL UNIQUE,
            document_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            content TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (document_id);
        CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
            content, content = 'chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER IF NOT EXISTS chunks_after_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts (rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER IF NOT EXISTS chunks_after_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts (chunks_fts, rowid, content) VALUES ('delete', old.id, old.content);
        END;
        """;

    private readonly SqliteDatabase _database;
    private readonly EmbeddedIndexSettings _settings;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private VectorMatrix? _vectors;
    private long _loadedGeneration = -1;

    public EmbeddedSearchIndex(string path, EmbeddedIndexSettings? settings = null)
    {
        _database = new SqliteDatabase(path, Schema);
        _settings = settings ?? EmbeddedIndexSettings.Default;
    }

    public string Name => "embedded";

    public Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _lock.EnterWriteLock();
        try
        {
            using var connection = _database.Open();
            using var transaction = connection.BeginTransaction();
            var modelId = ReadMeta(connection, transaction, "model_id");
            var dimensions = ReadMeta(connection, transaction, "dimensions");
            if (modelId is not null && dimensions is not null)
            {
                var indexed = new VectorSpace(modelId, int.Parse(dimensions, CultureInfo.InvariantCulture));
                // An index without chunks has no vectors to be inconsistent with: it simply adopts the new encoder.
                if (indexed != encoder && CountChunks(connection, transaction) > 0)
                {
                    throw new VectorSpaceMismatchException(indexed, encoder);
                }
            }
            WriteMeta(connection, transaction, "model_id", encoder.ModelId);
            WriteMeta(connection, transaction, "dimensions", encoder.Dimensions.ToString(CultureInfo.InvariantCulture));
            transaction.Commit();
            _vectors = new VectorMatrix(encoder.Dimensions);
            Reload(connection, null);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        return Task.CompletedTask;
    }

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        return Task.FromResult(ReadGeneration(connection, null));
    }

    public Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(chunks);
        var vectors = RequireInitialized();
        foreach (var chunk in chunks)
        {
            if (chunk.DocumentId != documentId)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} belongs to {chunk.DocumentId}, not {documentId}.", nameof(chunks));
            }
            if (chunk.Vector.Length != vectors.Dimensions)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} has {chunk.Vector.Length} dimensions; the index holds {vectors.Dimensions}.", nameof(chunks));
            }
        }

        _lock.EnterWriteLock();
        try
        {
            using var connection = _database.Open();
            // IMMEDIATE: take the write lock of the file now, so no other process changes it between our check and our write.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (ReadGeneration(connection, transaction) != _loadedGeneration)
            {
                Reload(connection, transaction);
            }
            var existing = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT chunk_id, id FROM chunks WHERE document_id = $document";
                select.Parameters.AddWithValue("$document", documentId);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    existing[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            var wanted = chunks.Select(c => c.ChunkId).ToHashSet(StringComparer.Ordinal);
            var removed = existing.Where(e => !wanted.Contains(e.Key)).Select(e => e.Value).ToList();
            using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM chunks WHERE id = $id";
                var id = delete.Parameters.Add("$id", SqliteType.Integer);
                foreach (var rowId in removed)
                {
                    id.Value = rowId;
                    delete.ExecuteNonQuery();
                }
            }

            var added = new List<(long RowId, ReadOnlyMemory<float> Vector)>();
            using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                // A kept chunk only moves (its ordinal); its text and vector are identical by construction of its id.
                upsert.CommandText = """
                    INSERT INTO chunks (chunk_id, document_id, ordinal, content, vector)
                    VALUES ($chunk, $document, $ordinal, $content, $vector)
                    ON CONFLICT (chunk_id) DO UPDATE SET ordinal = excluded.ordinal WHERE ordinal <> excluded.ordinal
                    RETURNING id
                    """;
                var chunkId = upsert.Parameters.Add("$chunk", SqliteType.Text);
                upsert.Parameters.AddWithValue("$document", documentId);
                var ordinal = upsert.Parameters.Add("$ordinal", SqliteType.Integer);
                var content = upsert.Parameters.Add("$content", SqliteType.Text);
                var vector = upsert.Parameters.Add("$vector", SqliteType.Blob);
                foreach (var chunk in chunks)
                {
                    chunkId.Value = chunk.ChunkId;
                    ordinal.Value = chunk.Ordinal;
                    content.Value = chunk.Content;
                    vector.Value = VectorBytes.ToBytes(chunk.Vector.Span);
                    var rowId = upsert.ExecuteScalar();
                    if (!existing.ContainsKey(chunk.ChunkId) && rowId is long newRowId)
                    {
                        added.Add((newRowId, chunk.Vector));
                    }
                }
            }

            var generation = ReadGeneration(connection, transaction);
            if (added.Count > 0 || removed.Count > 0)
            {
                generation++;
                WriteMeta(connection, transaction, "generation", generation.ToString(CultureInfo.InvariantCulture));
            }
            transaction.Commit();

            foreach (var rowId in removed)
            {
                vectors.Remove(rowId);
            }
            foreach (var (rowId, vector) in added)
            {
                vectors.Add(rowId, vector.Span);
            }
            _loadedGeneration = generation;
            return Task.FromResult(new IndexChange(added.Count, removed.Count, generation));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) =>
        ReplaceDocumentAsync(documentId, [], cancellationToken);

    public Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT document_id FROM chunks ORDER BY document_id";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return Task.FromResult<IReadOnlyList<string>>(ids);
    }

    public Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM chunks WHERE document_id = $document";
        command.Parameters.AddWithValue("$document", documentId);
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Chunks currently indexed (for the command line, health output and tests).</summary>
    public long CountChunks()
    {
        using var connection = _database.Open();
        return CountChunks(connection, null);
    }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Top, 1);
        RequireInitialized();
        if (query.Mode != RetrievalMode.Keyword && query.Vector is null)
        {
            throw new ArgumentException($"A {query.Mode} search needs the query vector.", nameof(query));
        }

        using var connection = _database.Open();
        EnsureCurrentUnderLock(connection);
        _lock.EnterReadLock();
        try
        {
            var vectors = RequireInitialized();
            var depth = query.Mode == RetrievalMode.Hybrid ? Math.Max(query.Top, _settings.CandidateDepth) : query.Top;
            IReadOnlyList<(long RowId, double Score)> ranked = query.Mode switch
            {
                RetrievalMode.Keyword => KeywordSearch(connection, query.Text, depth),
                RetrievalMode.Vector => [.. vectors.Nearest(query.Vector!.Value.Span, depth).Select(v => (v.RowId, (double)v.Similarity))],
                _ => ReciprocalRankFusion.Fuse(
                    [
                        [.. KeywordSearch(connection, query.Text, depth).Select(k => k.RowId)],
                        [.. vectors.Nearest(query.Vector!.Value.Span, depth).Select(v => v.RowId)],
                    ],
                    _settings.RrfK,
                    [_settings.KeywordWeight, _settings.VectorWeight]),
            };
            return Task.FromResult<IReadOnlyList<SearchHit>>(Materialize(connection, [.. ranked.Take(query.Top)]));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static List<(long RowId, double Score)> KeywordSearch(SqliteConnection connection, string text, int limit)
    {
        var match = KeywordQuery.ToMatchExpression(text);
        if (match is null)
        {
            return [];
        }
        using var command = connection.CreateCommand();
        // FTS5's rank is bm25(): more negative is better. Report it negated so that higher is better everywhere.
        command.CommandText = "SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH $match ORDER BY rank LIMIT $limit";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var results = new List<(long, double)>();
        while (reader.Read())
        {
            results.Add((reader.GetInt64(0), -reader.GetDouble(1)));
        }
        return results;
    }

    private static List<SearchHit> Materialize(SqliteConnection connection, List<(long RowId, double Score)> ranked)
    {
        if (ranked.Count == 0)
        {
            return [];
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, chunk_id, document_id, content FROM chunks WHERE id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ranked.Select(r => r.RowId)));
        var rows = new Dictionary<long, (string ChunkId, string DocumentId, string Content)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2), reader.GetString(3));
            }
        }
        return [.. ranked.Where(r => rows.ContainsKey(r.RowId)).Select(r =>
        {
            var row = rows[r.RowId];
            return new SearchHit(row.DocumentId, row.ChunkId, row.Content, r.Score);
        })];
    }

    private VectorMatrix RequireInitialized() =>
        _vectors ?? throw new InvalidOperationException("The index is not initialized: call InitializeAsync with the encoder identity first.");

    /// <summary>Reloads the vectors when another process changed the file since we last looked.</summary>
    private void EnsureCurrentUnderLock(SqliteConnection connection)
    {
        if (ReadGeneration(connection, null) == Volatile.Read(ref _loadedGeneration))
        {
            return;
        }
        _lock.EnterWriteLock();
        try
        {
            if (ReadGeneration(connection, null) != _loadedGeneration)
            {
                Reload(connection, null);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void Reload(SqliteConnection connection, SqliteTransaction? outerTransaction)
    {
        var vectors = new VectorMatrix(RequireInitialized().Dimensions);
        // One read transaction: the vectors and the generation we record come from the same snapshot.
        using var ownTransaction = outerTransaction is null ? connection.BeginTransaction() : null;
        var transaction = outerTransaction ?? ownTransaction!;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, vector FROM chunks";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                vectors.Add(reader.GetInt64(0), VectorBytes.ToVector((byte[])reader.GetValue(1)));
            }
        }
        _loadedGeneration = ReadGeneration(connection, transaction);
        _vectors = vectors;
    }

    private static long CountChunks(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM chunks";
        return (long)command.ExecuteScalar()!;
    }

    private static long ReadGeneration(SqliteConnection connection, SqliteTransaction? transaction) =>
        ReadMeta(connection, transaction, "generation") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

    private static string? ReadMeta(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    private static void WriteMeta(SqliteConnection connection, SqliteTransaction transaction, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }
}
