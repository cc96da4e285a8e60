using SemanticSearch.Indexing;
using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Tests.Evaluation;

public sealed class DocumentRankingTests
{
    private static SearchHit Hit(string documentId) => new(documentId, Guid.NewGuid().ToString("N"), "text", 1);

    [Fact]
    public void ADocumentTakesTheRankOfItsBestChunk()
    {
        var hits = new[] { Hit("7.md"), Hit("3.md"), Hit("7.md"), Hit("9.md"), Hit("3.md"), Hit("1.md") };

        Assert.Equal(["7", "3", "9", "1"], DocumentRanking.Collapse(hits, CorpusDocuments.CorpusIdOf, 10));
        Assert.Equal(["7", "3"], DocumentRanking.Collapse(hits, CorpusDocuments.CorpusIdOf, 2));
    }
}
