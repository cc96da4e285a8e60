using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

public sealed class ChunkingOptions
{
    /// <summary>Word pieces per chunk; all-MiniLM-L6-v2 truncates its input at 256.</summary>
    [Range(16, 8192)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>Word pieces of the previous chunk's last sentences repeated at the start of the next; 0 for none.</summary>
    [Range(0, 4096)]
    public int OverlapTokens { get; set; }
}
