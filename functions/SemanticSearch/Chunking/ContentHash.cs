using System.Security.Cryptography;
using System.Text;

namespace SemanticSearch.Chunking;

/// <summary>SHA-256 as lower-case hex: the hash behind chunk ids, cache keys and document fingerprints.</summary>
public static class ContentHash
{
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
