namespace SemanticSearch.Chunking;

/// <summary>Counts tokens the way the encoder will see them, so chunks are bounded by what the model reads.</summary>
public interface ITokenCounter
{
    /// <summary>Word pieces in <paramref name="text"/>, without the special tokens the encoder adds.</summary>
    int CountTokens(string text);
}
