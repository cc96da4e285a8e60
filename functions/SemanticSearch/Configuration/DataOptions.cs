using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

public sealed class DataOptions
{
    public const string DefaultPath = ".semantic-search";

    [Required]
    public string Path { get; set; } = DefaultPath;
}
