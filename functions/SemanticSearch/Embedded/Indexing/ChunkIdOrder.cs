using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Orders the documents of one reader by chunk id (ordinal, as Lucene sorts the same field for keyword ties): the
/// tie-break every ranking uses. The ids come from Lucene's field cache — the indexed terms un-inverted into memory
/// once per segment, the same cache the keyword sort reads — so a tie costs no read of the index files.
/// </summary>
internal sealed class ChunkIdOrder(IndexReader reader) : IComparer<int>
{
    private readonly IList<AtomicReaderContext> _leaves = reader.Leaves;
    private readonly Dictionary<int, string> _ids = [];

    public string IdOf(int doc)
    {
        if (_ids.TryGetValue(doc, out var id))
        {
            return id;
        }
        var leaf = _leaves[ReaderUtil.SubIndex(doc, _leaves)];
        var bytes = new BytesRef();
        FieldCache.DEFAULT.GetTermsIndex(leaf.AtomicReader, ChunkFields.ChunkId).Get(doc - leaf.DocBase, bytes);
        id = bytes.Utf8ToString();
        _ids[doc] = id;
        return id;
    }

    public int Compare(int x, int y) => string.CompareOrdinal(IdOf(x), IdOf(y));
}
