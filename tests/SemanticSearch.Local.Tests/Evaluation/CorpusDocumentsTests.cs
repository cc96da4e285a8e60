using SemanticSearch.Extraction;
using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Tests.Evaluation;

public sealed class CorpusDocumentsTests
{
    [Fact]
    public void TheTitleBecomesAHeadingAndTheTextStaysLiteral()
    {
        var document = new BeirDocument("42", "p53 *and* [MDM2]", "1. Cells with <p53> showed a 2-fold rise (p < 0.05) in _x_ # not a heading\nSecond paragraph.");

        var extracted = DocumentExtractor.CreateDefault().Extract(CorpusDocuments.DocumentIdOf("42"), CorpusDocuments.ToMarkdown(document));

        Assert.Equal(
            [(BlockKind.Heading, "p53 *and* [MDM2]"), (BlockKind.Paragraph, "1. Cells with <p53> showed a 2-fold rise (p < 0.05) in _x_ # not a heading"), (BlockKind.Paragraph, "Second paragraph.")],
            extracted.Blocks.Select(b => (b.Kind, b.Text)));
    }

    [Fact]
    public void DocumentIdsRoundTrip()
    {
        Assert.Equal("4983.md", CorpusDocuments.DocumentIdOf("4983"));
        Assert.Equal("4983", CorpusDocuments.CorpusIdOf("4983.md"));
    }
}
