using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

/// <summary>A Markdown file's YAML front matter: title, tags and acl in every form people write them, and nothing misread.</summary>
public class FrontMatterTests
{
    private const string Body = "# Heading\n\nThe body text.\n";

    private static async Task<DocumentProperties> PropertiesAsync(string frontMatter)
    {
        var document = await ExtractAsync("doc.md", $"---\n{frontMatter}\n---\n{Body}");
        // Front matter is never text, well-formed or not.
        Assert.Equal([Heading("Heading", 1), Paragraph("The body text.")], document.Blocks);
        return document.Properties;
    }

    [Fact]
    public async Task FlowListsAndPlainScalarsAreRead()
    {
        var properties = await PropertiesAsync("""
            title: Field notes on bees
            tags: [Bees, biology, "Field Work"]
            acl: [3f2504e0-4f89-11d3-9a0c-0305e82c3301, Team-A]
            """);

        Assert.Equal("Field notes on bees", properties.Title);
        Assert.Equal(["bees", "biology", "field work"], properties.Tags);
        Assert.Equal(["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Team-A"], properties.Acl);
    }

    [Fact]
    public async Task BlockListsAtTheMarginOrIndentedAreRead()
    {
        var properties = await PropertiesAsync("""
            tags:
              - zoology
              - 'Apis mellifera'   # the honeybee
            acl:
            - readers
            - "Editors, Senior"
            """);

        Assert.Null(properties.Title);
        Assert.Equal(["apis mellifera", "zoology"], properties.Tags);
        Assert.Equal(["Editors, Senior", "readers"], properties.Acl);
    }

    [Fact]
    public async Task CommaSeparatedStringsAreLists()
    {
        var properties = await PropertiesAsync("""
            title: "Quoted: with a colon"
            tags: bees, hives; honey
            acl: "group-b, group-a"
            """);

        Assert.Equal("Quoted: with a colon", properties.Title);
        Assert.Equal(["bees", "hives", "honey"], properties.Tags);
        Assert.Equal(["group-a", "group-b"], properties.Acl);
    }

    [Fact]
    public async Task TagsAreNormalizedAndGroupsKeepTheirCase()
    {
        var properties = await PropertiesAsync("""
            tags: [" Bees ", BEES, bees, "", "Two  Words"]
            acl: [Team-A, team-a, " Team-A ", ""]
            """);

        Assert.Equal(["bees", "two words"], properties.Tags);
        Assert.Equal(["Team-A", "team-a"], properties.Acl);
    }

    [Fact]
    public async Task UnknownKeysAndWhateverIsNestedUnderThemAreSkipped()
    {
        var properties = await PropertiesAsync("""
            # a comment
            layout: post
            author:
              name: Ada
              roles: [writer, editor]
            categories:
            - ignored
            Title: 'It''s mine'
            date: 2024-05-01
            description: >
              folded text
              over lines
            """);

        Assert.Equal("It's mine", properties.Title);
        Assert.Empty(properties.Tags);
        Assert.Empty(properties.Acl);
    }

    [Fact]
    public async Task BlockScalarsAndContinuedPlainTitlesBecomeOneLine()
    {
        Assert.Equal("A title over two lines", (await PropertiesAsync("title: >-\n  A title\n  over two lines")).Title);
        Assert.Equal("A plain title continued", (await PropertiesAsync("title: A plain title\n  continued")).Title);
        Assert.Equal("Escaped \"quote\" and é", (await PropertiesAsync("title: \"Escaped \\\"quote\\\" and \\u00e9\"")).Title);
    }

    [Fact]
    public async Task EmptyAndNullValuesSayNothing()
    {
        var properties = await PropertiesAsync("title: ~\ntags: []\nacl:\n");

        Assert.Equal(DocumentProperties.None, properties);
    }

    [Fact]
    public async Task AFlowListMaySpanLines()
    {
        var properties = await PropertiesAsync("tags: [alpha,\n  beta,\n  gamma]");

        Assert.Equal(["alpha", "beta", "gamma"], properties.Tags);
    }

    [Theory]
    [InlineData("tags: [kept]\ntitle: \"unterminated")]
    [InlineData("title: Kept\ntags: [a, b")]
    [InlineData("title: Kept\njust some words")]
    [InlineData("  indented: first\ntitle: Kept")]
    [InlineData("title: Kept\nacl: [a]\nacl: [b]")]
    [InlineData("title: Kept\nacl: {group: a}")]
    [InlineData("title: Kept\nacl:\n  group: a")]
    [InlineData("title: Kept\nacl: [a, [b]]")]
    [InlineData("title: Kept\nacl:\n  - a: b")]
    [InlineData("title: Kept\nacl: *everyone")]
    [InlineData("title: Kept\nacl: a: b")]
    [InlineData("tags: [kept]\ntitle: [a list]")]
    [InlineData("tags: [kept]\ntitle: \"bad escape \\q\"")]
    [InlineData("title: Kept\ntags: [a b] trailing")]
    public async Task MalformedFrontMatterSaysNothingAtAllAndTheDocumentIsStillRead(string frontMatter)
    {
        // Even the keys that were readable are dropped: a half-read acl must never be indexed.
        var properties = await PropertiesAsync(frontMatter);

        Assert.Equal(DocumentProperties.None, properties);
    }

    [Fact]
    public async Task TagsAreBoundedInNumberAndLength()
    {
        var many = string.Join(", ", Enumerable.Range(1, 60).Select(i => $"tag{i:D2}"));
        var properties = await PropertiesAsync($"tags: [{new string('x', 101)}, {many}]");

        Assert.Equal(50, properties.Tags.Count);
        Assert.Equal("tag01", properties.Tags[0]);
        Assert.Equal("tag50", properties.Tags[^1]);
    }

    [Fact]
    public async Task OnlyFrontMatterAtTheVeryStartCounts()
    {
        var document = await ExtractAsync("doc.md", "Intro.\n\n---\ntitle: Not front matter\n---\n");

        Assert.Equal(DocumentProperties.None, document.Properties);
    }

    [Fact]
    public async Task WithoutFrontMatterAMarkdownFileSaysNothing()
    {
        var document = await ExtractAsync("doc.md", Body);

        Assert.Same(DocumentProperties.None, document.Properties);
    }

    [Fact]
    public async Task WindowsLineEndingsAreRead()
    {
        var document = await ExtractAsync("doc.md", "---\r\ntitle: CRLF\r\ntags:\r\n  - a\r\n---\r\n" + Body);

        Assert.Equal("CRLF", document.Properties.Title);
        Assert.Equal(["a"], document.Properties.Tags);
    }
}
