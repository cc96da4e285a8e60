using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

public sealed class DocumentsOptions
{
    /// <summary>Blob container the Functions app and the local server ingest from. Setting: <c>Documents:Container</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Documents:Container must be a valid blob container name (3-63 lower-case letters, digits and single hyphens).")]
    public string Container { get; set; } = "documents";
}
