using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class MarkdownExtractorTests
{
    [Fact]
    public async Task HeadingsKeepTheirLevelAndInlineMarkupIsFlattened()
    {
        const string markdown = """
            # Title

            Some **bold**, _emphasised_ and `inline code` text with [a link](https://example.com/page "tooltip").

            ## Section

            Setext heading
            --------------

            ### Deeper
            """;

        var document = await ExtractAsync("doc.md", markdown);

        Assert.Equal(
            [
                Heading("Title", 1),
                Paragraph("Some bold, emphasised and inline code text with a link."),
                Heading("Section", 2),
                Heading("Setext heading", 2),
                Heading("Deeper", 3),
            ],
            document.Blocks);
        Assert.DoesNotContain(document.Blocks, block => block.Text.Contains("example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListItemsAtEveryDepthAndOfBothKindsAreListItems()
    {
        const string markdown = """
            - apples
            - pears
              - conference
              - comice

            1. first
            2. second
               continued on a lazy line
            """;

        var document = await ExtractAsync("list.markdown", markdown);

        Assert.Equal(
            [
                ListItem("apples"),
                ListItem("pears"),
                ListItem("conference"),
                ListItem("comice"),
                ListItem("first"),
                ListItem("second continued on a lazy line"),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task FencedAndIndentedCodeKeepTheirLinesAndIndentation()
    {
        const string markdown = """
            Intro.

            ```csharp
            if (ready)
            {
                Bake();
            }
            ```

                indented code
                  more indented
            """;

        var document = await ExtractAsync("code.md", markdown);

        Assert.Equal(
            [
                Paragraph("Intro."),
                Code("if (ready)\n{\n    Bake();\n}"),
                Code("indented code\n  more indented"),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task PipeTablesBecomeOneRowPerLineIncludingTheHeader()
    {
        const string markdown = """
            | Planet | Moons |
            | ------ | ----: |
            | Mars   | 2     |
            | *Earth* | 1    |
            """;

        var document = await ExtractAsync("table.md", markdown);

        Assert.Equal([TableRow("Planet | Moons"), TableRow("Mars | 2"), TableRow("Earth | 1")], document.Blocks);
    }

    [Fact]
    public async Task QuotesFrontMatterUrlsAndRawHtmlAreHandled()
    {
        const string markdown = """
            ---
            title: Hidden metadata
            tags: [a, b]
            ---

            > Quoted wisdom
            > over two lines.

            See <https://example.org/raw> or www.example.com for more.

            <div class="note">An HTML <b>note</b><script>alert("x")</script></div>

            ![A diagram of the oven](oven.png)

            ---
            """;

        var document = await ExtractAsync("mixed.md", markdown);

        Assert.Equal(
            [
                Paragraph("Quoted wisdom over two lines."),
                Paragraph("See or for more."),
                Paragraph("An HTML note"),
                Paragraph("A diagram of the oven"),
            ],
            document.Blocks);
    }
}
