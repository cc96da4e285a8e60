using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// What the document-id field says without running a search: the live chunks of one document, and every document
/// that still has one. Both read the terms and postings directly and skip deleted chunks (a deleted chunk keeps its
/// terms until its segment is merged).
/// </summary>
internal static class DocumentTerms
{
    /// <summary>The (reader-wide) document numbers of the live chunks of <paramref name="documentId"/>.</summary>
    public static List<int> ChunksOf(IndexReader reader, string documentId)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var docs = new List<int>();
        var term = new BytesRef(documentId);
        foreach (var leaf in reader.Leaves)
        {
            var terms = leaf.AtomicReader.GetTerms(ChunkFields.DocumentId)?.GetEnumerator();
            if (terms is null || !terms.SeekExact(term))
            {
                continue;
            }
            var postings = terms.Docs(leaf.AtomicReader.LiveDocs, null);
            for (var doc = postings.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.NextDoc())
            {
                docs.Add(leaf.DocBase + doc);
            }
        }
        return docs;
    }

    /// <summary>Every document id with at least one live chunk, in ordinal order.</summary>
    public static List<string> DocumentIds(IndexReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        DocsEnum? postings = null;
        foreach (var leaf in reader.Leaves)
        {
            var terms = leaf.AtomicReader.GetTerms(ChunkFields.DocumentId)?.GetEnumerator();
            if (terms is null)
            {
                continue;
            }
            var live = leaf.AtomicReader.LiveDocs;
            while (terms.MoveNext())
            {
                if (live is not null)
                {
                    postings = terms.Docs(live, postings);
                    if (postings.NextDoc() == DocIdSetIterator.NO_MORE_DOCS)
                    {
                        continue;
                    }
                }
                ids.Add(terms.Term.Utf8ToString());
            }
        }
        return [.. ids];
    }
}
