using SemanticSearch.Chunking;

namespace SemanticSearch.Tests.Support;

/// <summary>One token per white-space separated word: predictable sizes for the chunker's logic tests.</summary>
internal sealed class WordTokenCounter : ITokenCounter
{
    public int CountTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
