using System.Text;
using SemanticSearch.Sync;

namespace SemanticSearch.Local.Evaluation;

/// <summary>
/// How a BEIR corpus entry enters the product: as a Markdown document named <c>{_id}.md</c> whose title is its
/// heading, so the chunker treats it as structure (a heading starts a chunk and is joined to the text under it) exactly
/// as it would a user's notes. Every ASCII punctuation character is backslash-escaped, which CommonMark defines as the
/// literal character: an abstract's "1." or "*" stays text instead of becoming a list or emphasis.
/// </summary>
public static class CorpusDocuments
{
    public const string Extension = ".md";

    public static string DocumentIdOf(string corpusId) => corpusId + Extension;

    public static string CorpusIdOf(string documentId) =>
        documentId.EndsWith(Extension, StringComparison.Ordinal) ? documentId[..^Extension.Length] : documentId;

    /// <summary>The corpus as a document source for <see cref="DocumentSync"/>, every entry as its Markdown document.</summary>
    public static InMemoryDocumentSource Source(IReadOnlyList<BeirDocument> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        return new InMemoryDocumentSource("corpus", corpus.Select(d => KeyValuePair.Create(DocumentIdOf(d.Id), ToMarkdown(d))));
    }

    public static byte[] ToMarkdown(BeirDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var markdown = new StringBuilder(document.Title.Length + document.Text.Length + 16);
        if (!string.IsNullOrWhiteSpace(document.Title))
        {
            markdown.Append("# ");
            AppendEscaped(markdown, document.Title);
            markdown.Append("\n\n");
        }
        // Line breaks in a body separate paragraphs; blank ones are dropped so no line is read as indented code.
        foreach (var paragraph in document.Text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            AppendEscaped(markdown, paragraph);
            markdown.Append("\n\n");
        }
        return Encoding.UTF8.GetBytes(markdown.ToString());
    }

    /// <summary>Appends <paramref name="text"/> so that Markdown reads it as literal text.</summary>
    public static void AppendEscaped(StringBuilder markdown, string text)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text.Trim())
        {
            if (c < 128 && (char.IsPunctuation(c) || char.IsSymbol(c)))
            {
                markdown.Append('\\');
            }
            markdown.Append(c);
        }
    }
}
