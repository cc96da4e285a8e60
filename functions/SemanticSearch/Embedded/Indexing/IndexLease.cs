using Lucene.Net.Index;
using Lucene.Net.Search;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>One search's hold on a reader: the reader stays open until the lease is disposed, whatever commits meanwhile.</summary>
internal sealed class IndexLease(IndexSearcher? searcher, DirectoryReader? reader) : IDisposable
{
    /// <summary>Null while the folder holds no index yet.</summary>
    public IndexSearcher? Searcher => searcher;

    public void Dispose() => reader?.DecRef();
}
