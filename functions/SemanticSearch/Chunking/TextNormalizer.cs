using System.Text;

namespace SemanticSearch.Chunking;

/// <summary>
/// The one normalization every text goes through before it is hashed (chunk ids, embedding cache keys, result cache
/// keys): Unicode NFC and runs of white space folded to one space, trimmed. Two texts that normalize alike are the
/// same text to every part of the product.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var composed = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var c in composed)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.Length == composed.Length ? composed : builder.ToString();
    }
}
