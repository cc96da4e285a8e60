using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;

namespace SemanticSearch.Tests.Chunking;

public class ChunkerTests
{
    private static Chunker Create(int maxTokens = 34, int overlap = 0) =>
        new(new WordTokenCounter(), Options.Create(new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlap }));

    private static string Words(string prefix, int count) => string.Join(' ', Enumerable.Range(1, count).Select(i => $"{prefix}{i}"));

    private static ExtractedDocument Document(params DocumentBlock[] blocks) => new("doc.md", blocks);

    [Fact]
    public void NoChunkExceedsTheBudgetOfTheEncoder()
    {
        var sentences = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"Sentence {i} has exactly seven words here."));
        var chunks = Create(maxTokens: 34).Chunk(Document(new DocumentBlock(BlockKind.Paragraph, sentences)));

        Assert.True(chunks.Count > 5);
        // 34 minus [CLS] and [SEP].
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 32));
        Assert.All(chunks, c => Assert.Equal(new WordTokenCounter().CountTokens(c.Text), c.TokenCount));
    }

    [Fact]
    public void LongParagraphsAreCutBetweenSentencesNotInside()
    {
        var sentences = Enumerable.Range(1, 12).Select(i => $"Claim {i} is supported by the data we gathered.").ToList();
        var chunks = Create(maxTokens: 34).Chunk(Document(new DocumentBlock(BlockKind.Paragraph, string.Join(' ', sentences))));

        Assert.True(chunks.Count >= 3);
        foreach (var chunk in chunks)
        {
            Assert.StartsWith("Claim ", chunk.Text, StringComparison.Ordinal);
            Assert.EndsWith("gathered.", chunk.Text, StringComparison.Ordinal);
        }
        Assert.Equal(string.Join(' ', sentences), string.Join(' ', chunks.Select(c => c.Text)));
    }

    [Fact]
    public void ASentenceLongerThanTheBudgetIsCutBetweenWords()
    {
        var chunks = Create(maxTokens: 12).Chunk(Document(new DocumentBlock(BlockKind.Paragraph, Words("w", 25))));

        Assert.Equal([10, 10, 5], chunks.Select(c => c.TokenCount));
        Assert.Equal(Words("w", 25), string.Join(' ', chunks.Select(c => c.Text)));
    }

    [Fact]
    public void AHeadingStartsAChunkAndJoinsTheTextAfterIt()
    {
        var chunks = Create(maxTokens: 34).Chunk(Document(
            new DocumentBlock(BlockKind.Paragraph, "Short intro."),
            new DocumentBlock(BlockKind.Heading, "Methods", 2),
            new DocumentBlock(BlockKind.Paragraph, "We measured things carefully.")));

        Assert.Equal(["Short intro.", "Methods\nWe measured things carefully."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void AHeadingStaysWithTheStartOfALongParagraphAfterIt()
    {
        var sentences = string.Join(' ', Enumerable.Range(1, 12).Select(i => $"Finding {i} was replicated twice."));
        var chunks = Create(maxTokens: 34).Chunk(Document(
            new DocumentBlock(BlockKind.Heading, "Results of the trial", 1),
            new DocumentBlock(BlockKind.Paragraph, sentences)));

        Assert.StartsWith("Results of the trial\nFinding 1 was", chunks[0].Text, StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 32));
        Assert.Equal(sentences, string.Join(' ', chunks.Select(c => c.Text)).Replace("Results of the trial\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void SmallBlocksAreJoinedButLargeOnesStayWhole()
    {
        var chunks = Create(maxTokens: 34).Chunk(Document(
            new DocumentBlock(BlockKind.ListItem, "one"),
            new DocumentBlock(BlockKind.ListItem, "two"),
            new DocumentBlock(BlockKind.Paragraph, Words("a", 20)),
            new DocumentBlock(BlockKind.Paragraph, Words("b", 20))));

        Assert.Equal(["one\ntwo\n" + Words("a", 20), Words("b", 20)], chunks.Select(c => c.Text));
    }

    [Fact]
    public void OverlapRepeatsTheLastSentencesOfTheChunkBefore()
    {
        var sentences = Enumerable.Range(1, 8).Select(i => $"S{i} a b c d e f.").ToList(); // 7 tokens each
        var chunks = Create(maxTokens: 30, overlap: 7).Chunk(Document(new DocumentBlock(BlockKind.Paragraph, string.Join(' ', sentences))));

        Assert.True(chunks.Count >= 2);
        for (var i = 1; i < chunks.Count; i++)
        {
            var lastSentenceOfPrevious = chunks[i - 1].Text[(chunks[i - 1].Text.LastIndexOf('S'))..];
            Assert.StartsWith(lastSentenceOfPrevious, chunks[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IdsDependOnDocumentAndTextOnly()
    {
        var chunker = Create();
        var a = chunker.Chunk(new ExtractedDocument("a.md", [new(BlockKind.Paragraph, "Same text.")]));
        var again = chunker.Chunk(new ExtractedDocument("a.md", [new(BlockKind.Paragraph, "Same   text.")]));
        var b = chunker.Chunk(new ExtractedDocument("b.md", [new(BlockKind.Paragraph, "Same text.")]));

        Assert.Equal(a[0].Id, again[0].Id);
        Assert.NotEqual(a[0].Id, b[0].Id);
        Assert.Matches("^[0-9a-f]{32}$", a[0].Id);
    }

    [Fact]
    public void RepeatedTextGetsDistinctIds()
    {
        var chunks = Create(maxTokens: 12).Chunk(Document(
            new DocumentBlock(BlockKind.Paragraph, Words("x", 9)),
            new DocumentBlock(BlockKind.Paragraph, Words("x", 9))));

        Assert.Equal(2, chunks.Count);
        Assert.NotEqual(chunks[0].Id, chunks[1].Id);
    }

    [Fact]
    public void EditingOneParagraphChangesOnlyItsOwnChunk()
    {
        var paragraphs = Enumerable.Range(1, 60).Select(i => $"Paragraph {i}. " + Words($"p{i}w", 15)).ToList();
        var chunker = Create(maxTokens: 34);
        var before = chunker.Chunk(Document([.. paragraphs.Select(p => new DocumentBlock(BlockKind.Paragraph, p))]));

        paragraphs[30] = "Paragraph 31 was rewritten. " + Words("new", 12);
        var after = chunker.Chunk(Document([.. paragraphs.Select(p => new DocumentBlock(BlockKind.Paragraph, p))]));

        var unchanged = after.Select(c => c.Id).Intersect(before.Select(c => c.Id)).Count();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(after.Count - 1, unchanged);
    }

    private static DocumentBlock H(string text, int level, int? page = null) => new(BlockKind.Heading, text, level, page);

    private static DocumentBlock P(string text, int? page = null) => new(BlockKind.Paragraph, text, Page: page);

    [Fact]
    public void EachChunkCarriesTheHeadingPathInForceWhereItStarts()
    {
        // Every paragraph is big enough (> budget / 4) to stay a chunk of its own.
        var chunks = Create(maxTokens: 34).Chunk(Document(
            P("Preface " + Words("a", 10)),
            H("Guide", 1),
            P("Intro " + Words("b", 10)),
            H("Setup", 2),
            P("Install " + Words("c", 10)),
            H("Linux", 3),
            P("Apt " + Words("d", 10)),
            P("More " + Words("e", 10)),
            H("Usage", 2),
            P("Run " + Words("f", 10)),
            H("Appendix", 1),
            P("Notes " + Words("g", 10))));

        Assert.Equal(
            [
                [],
                ["Guide"],
                ["Guide", "Setup"],
                ["Guide", "Setup", "Linux"],
                ["Guide", "Setup", "Linux"],
                ["Guide", "Usage"],
                ["Appendix"],
            ],
            chunks.Select(c => c.Headings));
        Assert.StartsWith("Guide\nIntro", chunks[1].Text, StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.Null(c.Page));
    }

    [Fact]
    public void ASkippedLevelStillNestsAndADeeperHeadingBeforeAnyTopOneStandsAlone()
    {
        var chunks = Create(maxTokens: 34).Chunk(Document(
            H("Details", 3),
            P("First " + Words("a", 10)),
            H("Title", 1),
            P("Second " + Words("b", 10)),
            H("Deep", 4),
            P("Third " + Words("c", 10)),
            H("Level zero is taken as one", 0),
            P("Fourth " + Words("d", 10))));

        Assert.Equal([["Details"], ["Title"], ["Title", "Deep"], ["Level zero is taken as one"]], chunks.Select(c => c.Headings));
    }

    [Fact]
    public void AHeadingTooLongToBeOneNamesNoSection()
    {
        var chunks = Create(maxTokens: 12).Chunk(Document(
            H("Real", 1),
            H(Words("long", 15), 2),
            P("After the long one.")));

        Assert.All(chunks, c => Assert.Equal(["Real"], c.Headings));
    }

    [Fact]
    public void APageBreakEndsAChunkAndEveryChunkCitesItsPage()
    {
        var chunks = Create(maxTokens: 34).Chunk(Document(
            H("Report", 1, page: 1),
            P("Short one.", page: 1),
            P("Short two.", page: 1),
            P("Next page.", page: 2),
            P("Same page.", page: 2),
            H("Annex", 2, page: 2),
            P("Tail.", page: 3)));

        Assert.Equal(
            [("Report\nShort one.\nShort two.", 1), ("Next page.\nSame page.", 2), ("Annex", 2), ("Tail.", 3)],
            chunks.Select(c => (c.Text, c.Page!.Value)));
        Assert.Equal([["Report"], ["Report"], ["Report", "Annex"], ["Report", "Annex"]], chunks.Select(c => c.Headings));
    }

    [Fact]
    public void ALongParagraphCutIntoPiecesKeepsItsPageAndHeadingsInEveryPiece()
    {
        var sentences = string.Join(' ', Enumerable.Range(1, 20).Select(i => $"Finding {i} was replicated twice."));
        var chunks = Create(maxTokens: 34).Chunk(Document(H("Results", 2, page: 4), P(sentences, page: 4)));

        Assert.True(chunks.Count > 2);
        Assert.All(chunks, c =>
        {
            Assert.Equal(4, c.Page);
            Assert.Equal(["Results"], c.Headings);
        });
    }

    [Fact]
    public void WhereAChunkSitsIsNotPartOfItsId()
    {
        var chunker = Create(maxTokens: 34);
        var paragraph = "Unchanged text " + Words("u", 10);
        var before = chunker.Chunk(Document(H("Old section", 1), P("Intro " + Words("i", 10)), P(paragraph, page: 1)));
        var after = chunker.Chunk(Document(H("Renamed", 1), H("New subsection", 2), P("Intro " + Words("i", 10)), P(paragraph, page: 7)));

        var moved = Assert.Single(after, c => c.Text == paragraph);
        Assert.Equal(Assert.Single(before, c => c.Text == paragraph).Id, moved.Id);
        Assert.Equal(7, moved.Page);
        Assert.Equal(["Renamed", "New subsection"], moved.Headings);
    }
}

