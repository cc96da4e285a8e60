using SemanticSearch.Chunking;

namespace SemanticSearch.Testing;

/// <summary>One token per white-space separated word: predictable sizes for the chunker's logic tests.</summary>
public sealed class WordTokenCounter : ITokenCounter
{
    public int CountTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
