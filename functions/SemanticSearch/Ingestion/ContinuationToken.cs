using System.Buffers.Text;
using System.Text;

namespace SemanticSearch.Ingestion;

/// <summary>
/// A keyset continuation token: the last key of a page, versioned and base64url-encoded so that callers treat it as
/// opaque and a token from elsewhere is recognised as foreign (<see cref="FormatException"/>) instead of misread.
/// </summary>
public static class ContinuationToken
{
    private const string Prefix = "k1:";

    public static string Encode(string lastKey)
    {
        ArgumentNullException.ThrowIfNull(lastKey);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastKey));
    }

    public static string Decode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException ex)
        {
            throw new FormatException("The continuation token is not one this service issued.", ex);
        }
        return text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length
            ? text[Prefix.Length..]
            : throw new FormatException("The continuation token is not one this service issued.");
    }
}
