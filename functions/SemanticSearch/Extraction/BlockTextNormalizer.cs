using System.Text;
using SemanticSearch.Chunking;

namespace SemanticSearch.Extraction;

/// <summary>
/// Puts block text in the one form the chunker, the embedding cache and the index all hash and compare:
/// <see cref="TextNormalizer"/>.
/// Code keeps its lines and indentation, because they carry its meaning; only line ends and trailing spaces are tidied.
/// </summary>
internal static class BlockTextNormalizer
{
    public static IReadOnlyList<DocumentBlock> Normalize(IEnumerable<DocumentBlock> blocks)
    {
        var normalized = new List<DocumentBlock>();
        foreach (var block in blocks)
        {
            var text = block.Kind == BlockKind.Code ? NormalizeCode(block.Text) : NormalizeProse(block.Text);
            if (text.Length > 0)
            {
                normalized.Add(block with { Text = text });
            }
        }

        return normalized;
    }

    public static string NormalizeProse(string text) => TextNormalizer.Normalize(text);

    public static string NormalizeCode(string text)
    {
        var composed = text.Normalize(NormalizationForm.FormC);
        var lines = new List<string>();
        foreach (var line in composed.AsSpan().EnumerateLines())
        {
            lines.Add(RemoveControlCharacters(line.TrimEnd()));
        }

        var first = lines.FindIndex(line => line.Length > 0);
        if (first < 0)
        {
            return string.Empty;
        }

        var last = lines.FindLastIndex(line => line.Length > 0);
        return string.Join('\n', lines.GetRange(first, last - first + 1));
    }

    private static string RemoveControlCharacters(ReadOnlySpan<char> line)
    {
        var builder = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c == '\t' || !char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
