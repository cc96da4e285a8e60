using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class HtmlExtractorTests
{
    [Fact]
    public async Task ScriptsStylesNavigationAndTemplatesAreSkipped()
    {
        const string html = """
            <html><head><title>Page</title><style>p { color: red }</style><script>var a = 1;</script></head>
            <body>
              <nav><a href="/">Home</a></nav>
              <h1>Real heading</h1>
              <noscript>Enable JavaScript</noscript>
              <template><p>Template text</p></template>
              <p>Real text.<script>document.write("injected")</script></p>
              <div hidden>Hidden text</div>
            </body></html>
            """;

        var document = await ExtractAsync("page.html", html);

        Assert.Equal([Heading("Real heading", 1), Paragraph("Real text.")], document.Blocks);
    }

    [Fact]
    public async Task HeadingsParagraphsListsCodeAndQuotesKeepTheirRoles()
    {
        const string html = """
            <body>
              <h1>Top</h1>
              <h2>Second <em>level</em></h2>
              <p>A   paragraph
                 spread over lines &amp; entities.</p>
              <h6>Sixth</h6>
              <ul><li>One</li><li>Two<ul><li>Two point one</li></ul></li></ul>
              <ol><li><p>Numbered with a paragraph</p></li></ol>
              <pre>line one
                indented line</pre>
              <blockquote><p>Quoted paragraph.</p>Loose quoted text.</blockquote>
            </body>
            """;

        var document = await ExtractAsync("structure.htm", html);

        Assert.Equal(
            [
                Heading("Top", 1),
                Heading("Second level", 2),
                Paragraph("A paragraph spread over lines & entities."),
                Heading("Sixth", 6),
                ListItem("One"),
                ListItem("Two"),
                ListItem("Two point one"),
                ListItem("Numbered with a paragraph"),
                Code("line one\n    indented line"),
                Paragraph("Quoted paragraph."),
                Paragraph("Loose quoted text."),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task EachTableRowIsOneBlockWithItsCellsInOrder()
    {
        const string html = """
            <table>
              <thead><tr><th>Name</th><th>Role</th></tr></thead>
              <tbody>
                <tr><td>Ada <b>Lovelace</b></td><td><p>Analyst</p><p>Writer</p></td></tr>
                <tr><td>Charles Babbage</td><td>Engineer</td></tr>
              </tbody>
            </table>
            """;

        var document = await ExtractAsync("people.html", html);

        Assert.Equal(
            [TableRow("Name | Role"), TableRow("Ada Lovelace | Analyst Writer"), TableRow("Charles Babbage | Engineer")],
            document.Blocks);
    }

    [Fact]
    public async Task TextDirectlyInDivsBecomesParagraphsSplitWhereBlocksInterruptIt()
    {
        const string html = """
            <div>First loose text with a <span>span</span>.</div>
            <div>Before the block<div>Inner block</div>after the block</div>
            <section>Section text<br>after a break</section>
            """;

        var document = await ExtractAsync("divs.html", html);

        Assert.Equal(
            [
                Paragraph("First loose text with a span."),
                Paragraph("Before the block"),
                Paragraph("Inner block"),
                Paragraph("after the block"),
                Paragraph("Section text after a break"),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task TheTitleIsTheTopHeadingWhenThePageHasNoH1()
    {
        const string html = "<html><head><title>  The   Title </title></head><body><h2>Sub</h2><p>Body.</p></body></html>";

        var document = await ExtractAsync("titled.html", html);

        Assert.Equal([Heading("The Title", 1), Heading("Sub", 2), Paragraph("Body.")], document.Blocks);
    }

    [Fact]
    public async Task TheTitleIsNotRepeatedWhenThePageHasItsOwnH1()
    {
        const string html = "<html><head><title>Site | Article</title></head><body><h1>Article</h1><p>Body.</p></body></html>";

        var document = await ExtractAsync("article.html", html);

        Assert.Equal([Heading("Article", 1), Paragraph("Body.")], document.Blocks);
    }

    [Fact]
    public async Task TheTitleAndTheKeywordsAreTheDocumentsTitleAndTags()
    {
        const string html = """
            <html><head><title> Apollo   Guidance </title>
            <meta name="Keywords" content="Space, NASA; computers, ,space">
            <meta name="acl" content="team-a">
            <meta name="description" content="not tags"></head>
            <body><h1>Article</h1><p>Body.</p></body></html>
            """;

        var document = await ExtractAsync("apollo.html", html);

        Assert.Equal("Apollo Guidance", document.Properties.Title);
        Assert.Equal(["computers", "nasa", "space"], document.Properties.Tags);
        // Access comes from front matter or the source, never from a page's <meta>.
        Assert.Empty(document.Properties.Acl);
    }

    [Fact]
    public async Task APageWithoutTitleOrKeywordsSaysNothing()
    {
        var document = await ExtractAsync("plain.html", "<html><body><p>Body.</p></body></html>");

        Assert.Null(document.Properties.Title);
        Assert.Empty(document.Properties.Tags);
    }
}
