using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using SemanticSearch.Indexing;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The Lucene side of the embedded index: one folder, at most one writing process, any number of reading ones.
/// <list type="bullet">
/// <item>A process takes the writer (and the <see cref="WriterLock"/>) at its first change and keeps it until disposed.
/// Its changes are visible to its own searches at once (near-real-time reader) and reach the disk, and other processes,
/// at <see cref="CommitAsync"/> — one fsync per batch instead of one per document.</item>
/// <item>A process that has not written reads the newest commit, checked before every search: when nothing changed that
/// is one look at the folder.</item>
/// <item>The generation and the vector space live in each commit's user data; a reader reports the generation of the
/// commit it reads, the writer the count of its changes, committed or not.</item>
/// </list>
/// </summary>
internal sealed class LuceneIndexStore : IDisposable
{
    private const string GenerationKey = "generation";
    private const string ModelKey = "model_id";
    private const string DimensionsKey = "dimensions";

    private readonly string _folder;
    private readonly LuceneDirectory _directory;
    private readonly ChunkAnalyzer _analyzer;
    private readonly Similarity _similarity = new ExactBm25Similarity();
    private readonly TimeSpan _writerLockTimeout;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Threading.Lock _readerGate = new();
    private readonly CommitWatch _commits;
    private WriterLock? _writerLock;
    private IndexWriter? _writer;
    private DirectoryReader? _reader;
    private IndexSearcher? _searcher;
    private VectorSpace? _space;
    private long _generation;
    private long _writes;
    private long _readerWrites;
    private long _committedWrites;
    private bool _disposed;

    /// <summary>Per document changed by this writer, the count of writes after its last change (guarded by the write gate).</summary>
    private readonly Dictionary<string, long> _touched = new(StringComparer.Ordinal);

    public LuceneIndexStore(string folder, ChunkAnalyzer analyzer, TimeSpan writerLockTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = Path.GetFullPath(folder);
        System.IO.Directory.CreateDirectory(_folder);
        // Plain reads, not memory-mapped files: the index's pages stay in the OS page cache either way, but mapped ones
        // count in the process's working set (+260 MiB at 100k chunks, measured), and every search reads only what the
        // in-memory vectors and field cache do not hold.
        _directory = new NIOFSDirectory(new DirectoryInfo(_folder));
        _commits = new CommitWatch(_folder);
        _analyzer = analyzer;
        _writerLockTimeout = writerLockTimeout;
    }

    /// <summary>The loaded vectors; set by <see cref="Initialize"/>.</summary>
    public SegmentVectorCache? Vectors { get; private set; }

    /// <summary>Opens what is on disk and checks the vector space: an index with chunks of another space is refused.</summary>
    public void Initialize(VectorSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        lock (_readerGate)
        {
            Refresh();
            var recorded = SpaceOf(_writer?.CommitData ?? _reader?.IndexCommit.UserData);
            // An index without chunks has no vectors to be inconsistent with: it adopts the new space at its next commit.
            if (recorded is not null && recorded != space && (_reader?.NumDocs ?? 0) > 0)
            {
                throw new VectorSpaceMismatchException(recorded, space);
            }
            _space = space;
            Vectors ??= new SegmentVectorCache(space.Dimensions);
        }
    }

    /// <summary>The generation: changes staged by this writer, or the newest commit a reader sees.</summary>
    public long Generation
    {
        get
        {
            lock (_readerGate)
            {
                Refresh();
                return _writer is not null ? Interlocked.Read(ref _generation) : GenerationOf(_reader?.IndexCommit.UserData);
            }
        }
    }

    /// <summary>A searcher over the newest state this process can see; null while the folder holds no index yet.</summary>
    public IndexLease Acquire()
    {
        lock (_readerGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Refresh();
            _reader?.IncRef();
            return new IndexLease(_searcher, _reader);
        }
    }

    /// <summary>
    /// Runs one change of a document with the writer (taken now if this process does not hold it yet). The change gets a
    /// searcher that reflects every earlier change of that document (the near-real-time reader is reopened only when the
    /// document changed since it was opened, so a bulk load does not reopen it per document) and returns whether it
    /// changed anything; if it did, the generation goes up by one. Returns the generation.
    /// </summary>
    public async Task<long> WriteAsync(string documentId, Func<IndexWriter, IndexSearcher?, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            var stale = _touched.TryGetValue(documentId, out var touched) && touched > Interlocked.Read(ref _readerWrites);
            using (var lease = stale ? Acquire() : AcquireAsIs())
            {
                if (change(writer, lease.Searcher))
                {
                    Interlocked.Increment(ref _generation);
                    _touched[documentId] = Interlocked.Increment(ref _writes);
                }
            }
            if (_touched.Count > 10_000)
            {
                var seen = Interlocked.Read(ref _readerWrites);
                foreach (var id in _touched.Where(t => t.Value <= seen).Select(t => t.Key).ToList())
                {
                    _touched.Remove(id);
                }
            }
            return Interlocked.Read(ref _generation);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Makes every staged change durable and visible to other processes (one fsync); nothing to do: no cost.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CommitLocked();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The current reader without looking for anything newer (the writer's own reads).</summary>
    private IndexLease AcquireAsIs()
    {
        lock (_readerGate)
        {
            _reader?.IncRef();
            return new IndexLease(_searcher, _reader);
        }
    }

    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }
            try
            {
                CommitLocked();
            }
            finally
            {
                lock (_readerGate)
                {
                    _disposed = true;
                    _reader?.DecRef();
                    _reader = null;
                    _searcher = null;
                }
                _writer?.Dispose();
                _writerLock?.Dispose();
                _directory.Dispose();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void CommitLocked()
    {
        var writes = Interlocked.Read(ref _writes);
        if (_writer is null || writes == Interlocked.Read(ref _committedWrites))
        {
            return;
        }
        _writer.SetCommitData(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GenerationKey] = Interlocked.Read(ref _generation).ToString(CultureInfo.InvariantCulture),
            [ModelKey] = _space?.ModelId ?? string.Empty,
            [DimensionsKey] = (_space?.Dimensions ?? 0).ToString(CultureInfo.InvariantCulture),
        });
        _writer.Commit();
        Interlocked.Exchange(ref _committedWrites, writes);
    }

    private async Task<IndexWriter> OpenWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }
        var space = _space ?? throw new InvalidOperationException("The index is not initialized: call InitializeAsync with the encoder first.");
        var writerLock = await WriterLock.AcquireAsync(_folder, _writerLockTimeout, cancellationToken).ConfigureAwait(false);
        IndexWriter? writer = null;
        try
        {
            writer = new IndexWriter(_directory, new IndexWriterConfig(ChunkAnalyzer.Version, _analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = _similarity,
                // Bulk loads flush a segment per 32 MB of buffered chunks; ordinary ingestion commits long before that.
                RAMBufferSizeMB = 32,
            });
            // Another process may have written since this one last looked: it decides the space and the generation.
            var recorded = SpaceOf(writer.CommitData);
            if (recorded is not null && recorded != space && writer.NumDocs > 0)
            {
                throw new VectorSpaceMismatchException(recorded, space);
            }
            lock (_readerGate)
            {
                Interlocked.Exchange(ref _generation, Math.Max(GenerationOf(writer.CommitData), GenerationOf(_reader?.IndexCommit.UserData)));
                _writer = writer;
                _writerLock = writerLock;
                Swap(_reader is null ? DirectoryReader.Open(writer, applyAllDeletes: true) : DirectoryReader.OpenIfChanged(_reader, writer, applyAllDeletes: true));
                Interlocked.Exchange(ref _readerWrites, Interlocked.Read(ref _writes));
            }
            return writer;
        }
        catch
        {
            writer?.Dispose();
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>Brings the reader up to date (under the reader gate).</summary>
    private void Refresh()
    {
        if (_disposed)
        {
            return;
        }
        if (_writer is not null)
        {
            var writes = Interlocked.Read(ref _writes);
            if (writes != Interlocked.Read(ref _readerWrites))
            {
                Swap(DirectoryReader.OpenIfChanged(_reader, _writer, applyAllDeletes: true));
                Interlocked.Exchange(ref _readerWrites, writes);
            }
            return;
        }
        // Another process may be the writer: look for its commits, but only when the commit stamp says there may be one.
        var stamp = _commits.Stamp();
        if (_reader is not null)
        {
            if (!_commits.Unchanged(stamp))
            {
                Swap(DirectoryReader.OpenIfChanged(_reader));
                _commits.Checked(stamp);
            }
        }
        else if (DirectoryReader.IndexExists(_directory))
        {
            Swap(DirectoryReader.Open(_directory));
            _commits.Checked(stamp);
        }
    }

    private void Swap(DirectoryReader? fresh)
    {
        if (fresh is null)
        {
            return;
        }
        var old = _reader;
        _reader = fresh;
        _searcher = new IndexSearcher(fresh) { Similarity = _similarity };
        old?.DecRef();
        Vectors?.Retain(fresh);
    }

    private static long GenerationOf(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(GenerationKey, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

    private static VectorSpace? SpaceOf(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(ModelKey, out var model) && model.Length > 0 && data.TryGetValue(DimensionsKey, out var dimensions)
            ? new VectorSpace(model, int.Parse(dimensions, CultureInfo.InvariantCulture))
            : null;
}
