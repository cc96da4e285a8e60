using System.Text.Json;

namespace SemanticSearch.Extraction;

/// <summary>JSON: every string value, at any depth, becomes a paragraph; property names, numbers and booleans are not text to search.</summary>
public sealed class JsonExtractor : ITextExtractor
{
    private const int MaxDepth = 64;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public IReadOnlyCollection<string> Extensions { get; } = [".json"];

    public ExtractedContent Extract(Stream content, CancellationToken cancellationToken)
    {
        var json = TextDecoder.Decode(content);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException ex)
        {
            throw new DocumentRejectedException(RejectionReason.Corrupt, $"The file is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var blocks = new List<DocumentBlock>();
            AddStrings(document.RootElement, blocks, cancellationToken);
            return new ExtractedContent(blocks);
        }
    }

    private static void AddStrings(JsonElement element, List<DocumentBlock> blocks, CancellationToken cancellationToken)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                blocks.Add(new DocumentBlock(BlockKind.Paragraph, element.GetString()!));
                break;
            case JsonValueKind.Array:
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var item in element.EnumerateArray())
                {
                    AddStrings(item, blocks, cancellationToken);
                }

                break;
            case JsonValueKind.Object:
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var property in element.EnumerateObject())
                {
                    AddStrings(property.Value, blocks, cancellationToken);
                }

                break;
        }
    }
}
