namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// The folder that holds a sentence-transformers model exported to ONNX: <c>model.onnx</c> and its WordPiece <c>vocab.txt</c>.
/// By default it is the all-MiniLM-L6-v2 copy that the build extracts next to the binaries (see Model.targets).
/// </summary>
public sealed record OnnxModelFolder
{
    public const string BundledModelName = "all-MiniLM-L6-v2";
    public const string ModelFileName = "model.onnx";
    public const string VocabularyFileName = "vocab.txt";

    public OnnxModelFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
    }

    /// <summary>Where the build puts the bundled model: <c>&lt;output&gt;/models/all-MiniLM-L6-v2</c>.</summary>
    public static OnnxModelFolder Bundled { get; } =
        new(System.IO.Path.Combine(AppContext.BaseDirectory, "models", BundledModelName));

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    public string ModelPath => System.IO.Path.Combine(Path, ModelFileName);

    public string VocabularyPath => System.IO.Path.Combine(Path, VocabularyFileName);

    /// <summary>
    /// The folder's name identifies the model (the bundled one is <c>all-MiniLM-L6-v2</c>), so vectors of a different
    /// model placed in another folder never pass for the bundled model's in the index or the embedding cache.
    /// </summary>
    public string ModelId => System.IO.Path.GetFileName(Path);

    /// <summary>The configured folder (setting <c>Encoder:Onnx:ModelPath</c>), or the bundled model when it is empty.</summary>
    public static OnnxModelFolder Resolve(string? configuredPath) =>
        string.IsNullOrWhiteSpace(configuredPath) ? Bundled : new OnnxModelFolder(configuredPath);

    /// <summary>The path of <paramref name="fileName"/> in this folder; throws, saying how to get it, when it is missing.</summary>
    internal string RequireFile(string fileName)
    {
        string filePath = System.IO.Path.Combine(Path, fileName);
        if (!File.Exists(filePath))
        {
            throw new FileNotFoundException(
                $"The ONNX encoder's file '{filePath}' is missing. Build the SemanticSearch project: the build extracts " +
                $"{BundledModelName} ({ModelFileName}, {VocabularyFileName}) into <output>/models/{BundledModelName}/. " +
                "Or set Encoder:Onnx:ModelPath to a folder that holds both files.",
                filePath);
        }

        return filePath;
    }
}
