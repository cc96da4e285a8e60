using System.IO.Compression;
using DocumentFormat.OpenXml.Wordprocessing;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class DocxExtractorTests
{
    [Fact]
    public async Task TitleAndHeadingStylesBecomeHeadingsWithTheirLevel()
    {
        var docx = new TestDocxBuilder()
            .Style("Title", "Title")
            .Style("Heading1", "heading 1", outlineLevel: 0)
            .Style("Heading2", "heading 2", outlineLevel: 1)
            .Paragraph("The Document", "Title")
            .Paragraph("Opening paragraph.")
            .Paragraph("Chapter", "Heading1")
            .Paragraph("Section", "Heading2")
            .Paragraph("Subsection without a style definition", "Heading3")
            .Paragraph("Body text.", "Normal")
            .Build();

        var document = await ExtractAsync("report.docx", docx);

        Assert.Equal(
            [
                Heading("The Document", 1),
                Paragraph("Opening paragraph."),
                Heading("Chapter", 1),
                Heading("Section", 2),
                Heading("Subsection without a style definition", 3),
                Paragraph("Body text."),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task LocalisedStyleIdsAndOutlineLevelsAreRecognisedAsHeadings()
    {
        var docx = new TestDocxBuilder()
            .Style("berschrift2", "heading 2")
            .Style("Kapitel", "Kapitel", outlineLevel: 0)
            .Style("MyChapter", "My chapter", basedOn: "Kapitel")
            .Style("BodyText", "Body Text", outlineLevel: 9)
            .Paragraph("German heading", "berschrift2")
            .Paragraph("Outline heading", "Kapitel")
            .Paragraph("Inherited heading", "MyChapter")
            .Paragraph("Direct outline level", outlineLevel: 3)
            .Paragraph("Outline level 9 is body text", "BodyText")
            .Build();

        var document = await ExtractAsync("bericht.docx", docx);

        Assert.Equal(
            [
                Heading("German heading", 2),
                Heading("Outline heading", 1),
                Heading("Inherited heading", 1),
                Heading("Direct outline level", 4),
                Paragraph("Outline level 9 is body text"),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task NumberedParagraphsAreListItemsUnlessNumberingIsSwitchedOff()
    {
        var docx = new TestDocxBuilder()
            .Style("ListBullet", "List Bullet", numberingId: TestDocxBuilder.BulletNumberingId)
            .Paragraph("Direct numbering", numberingId: TestDocxBuilder.BulletNumberingId)
            .Paragraph("Numbered by its style", "ListBullet")
            .Paragraph("Style numbering switched off", "ListBullet", numberingId: 0)
            .Build();

        var document = await ExtractAsync("list.docx", docx);

        Assert.Equal(
            [ListItem("Direct numbering"), ListItem("Numbered by its style"), Paragraph("Style numbering switched off")],
            document.Blocks);
    }

    [Fact]
    public async Task EachTableRowIsOneBlock()
    {
        var docx = new TestDocxBuilder()
            .Paragraph("Before the table.")
            .Table(["Element", "Symbol"], ["Gold", "Au"], ["Silver", "Ag"])
            .Build();

        var document = await ExtractAsync("table.docx", docx);

        Assert.Equal(
            [Paragraph("Before the table."), TableRow("Element | Symbol"), TableRow("Gold | Au"), TableRow("Silver | Ag")],
            document.Blocks);
    }

    [Fact]
    public async Task OnlyVisibleTextIsReadFromRunsAndContentControls()
    {
        var paragraph = new Paragraph(
            new Run(new Text("Kept")),
            new Run(new TabChar()),
            new Run(new Text("after a tab")),
            new DeletedRun(new Run(new DeletedText("deleted words"))),
            new Run(new FieldCode(" PAGE ")),
            new Run(new Break()),
            new Run(new Text("after a break")));
        var contentControl = new SdtBlock(new SdtContentBlock(new Paragraph(new Run(new Text("Inside a content control")))));
        var docx = new TestDocxBuilder().Append(paragraph).Append(contentControl).Build();

        var document = await ExtractAsync("runs.docx", docx);

        Assert.Equal([Paragraph("Kept after a tab after a break"), Paragraph("Inside a content control")], document.Blocks);
    }

    [Fact]
    public async Task AnOleCompoundFileNamedDocxIsRejectedAsEncrypted()
    {
        byte[] oleHeader = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        var bytes = new byte[4096];
        oleHeader.CopyTo(bytes, 0);

        var rejection = await RejectAsync("protected.docx", bytes);

        Assert.Equal(RejectionReason.Encrypted, rejection.Reason);
        Assert.Contains("password-protected", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomBytesNamedDocxAreCorrupt()
    {
        var rejection = await RejectAsync("random.docx", RandomBytes(5000, seed: 3));

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains(".docx", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATruncatedDocxIsCorrupt()
    {
        var docx = new TestDocxBuilder().Paragraph("Some text.").Build();

        var rejection = await RejectAsync("truncated.docx", docx[..(docx.Length / 2)]);

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
    }

    [Fact]
    public async Task AZipWithoutAWordDocumentIsCorrupt()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        using (var writer = new StreamWriter(archive.CreateEntry("notes.txt").Open()))
        {
            writer.Write("not a word document");
        }

        var rejection = await RejectAsync("notes.docx", zip.ToArray());

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
    }

    [Fact]
    public async Task MalformedDocumentXmlIsCorrupt()
    {
        var docx = new TestDocxBuilder().Paragraph("Fine so far.").Build();
        using var package = new MemoryStream();
        package.Write(docx);
        using (var archive = new ZipArchive(package, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry("word/document.xml")!.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("word/document.xml").Open());
            writer.Write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>");
        }

        var rejection = await RejectAsync("malformed.docx", package.ToArray());

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
    }

    [Fact]
    public async Task ADocumentPartThatExpandsFarBeyondTheTextLimitIsRefusedBeforeItIsLoaded()
    {
        // Empty paragraphs with properties: megabytes of XML that would extract to no text at all.
        var builder = new TestDocxBuilder();
        for (var i = 0; i < 25_000; i++)
        {
            builder.Append(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0" })));
        }

        var rejection = await RejectAsync("bomb.docx", builder.Build(), new IngestionOptions { MaxExtractedCharacters = 100 });

        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
        Assert.Contains("1000000", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCorePropertiesTitleAndKeywordsAreTheDocumentsTitleAndTags()
    {
        var docx = new TestDocxBuilder()
            .CoreProperties("  The Bicycle  ", "History; Transport, cycling;;")
            .Paragraph("Body text.")
            .Build();

        var document = await ExtractAsync("bicycle.docx", docx);

        Assert.Equal("The Bicycle", document.Properties.Title);
        Assert.Equal(["cycling", "history", "transport"], document.Properties.Tags);
        Assert.Empty(document.Properties.Acl);
    }

    [Fact]
    public async Task ADocumentWithoutCorePropertiesSaysNothing()
    {
        var document = await ExtractAsync("bare.docx", new TestDocxBuilder().Paragraph("Body text.").Build());

        Assert.Null(document.Properties.Title);
        Assert.Empty(document.Properties.Tags);
    }
}

