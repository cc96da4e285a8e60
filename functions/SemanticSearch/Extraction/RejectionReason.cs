namespace SemanticSearch.Extraction;

/// <summary>Why an upload cannot be indexed. Every value is a permanent condition of the bytes: retrying will not help.</summary>
public enum RejectionReason
{
    /// <summary>The file type has no extractor.</summary>
    Unsupported,
    /// <summary>Zero bytes, or no text once extracted.</summary>
    Empty,
    /// <summary>The bytes do not parse as the format the name claims.</summary>
    Corrupt,
    /// <summary>Password-protected or encrypted content.</summary>
    Encrypted,
    /// <summary>A text format whose bytes are not text.</summary>
    Binary,
    /// <summary>Above the configured size limit (bytes, or extracted characters).</summary>
    TooLarge,
}
