namespace SemanticSearch.Extraction;

/// <summary>
/// What a file says about itself besides its text: a title (front matter, &lt;title&gt;, document properties), tags
/// (front matter <c>tags:</c>, &lt;meta name="keywords"&gt;, docx/pdf keywords) and the groups allowed to read it
/// (front matter <c>acl:</c>). Empty when the format or the file says nothing.
/// </summary>
public sealed record DocumentProperties(string? Title, IReadOnlyList<string> Tags, IReadOnlyList<string> Acl)
{
    public static DocumentProperties None { get; } = new(null, [], []);
}
