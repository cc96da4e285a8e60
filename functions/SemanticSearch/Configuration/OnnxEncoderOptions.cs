using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

public sealed class OnnxEncoderOptions
{
    /// <summary><see cref="Model"/> value of the int8 copy of all-MiniLM-L6-v2 that the build derives (all-MiniLM-L6-v2-int8).</summary>
    public const string Int8Model = "Int8";

    /// <summary><see cref="Model"/> value of the float all-MiniLM-L6-v2 as published (all-MiniLM-L6-v2).</summary>
    public const string Fp32Model = "Fp32";

    /// <summary>
    /// Which bundled model runs: <see cref="Int8Model"/> (the default: the int8 copy, much faster on CPU, with SciFact
    /// retrieval quality within the issue's tolerance of fp32; docs/benchmarks.md), <see cref="Fp32Model"/> (the vectors
    /// sentence-transformers gives), or the name of a folder under <c>models/</c> next to the binaries. Each has its own
    /// model id, so switching re-embeds (an index refuses vectors of another model). Ignored when
    /// <see cref="ModelPath"/> is set.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "The field Model must be Int8, Fp32 or the name of a folder under models/ (letters, digits, '.', '_', '-').")]
    public string Model { get; set; } = Int8Model;

    /// <summary>Folder holding model.onnx and vocab.txt; empty means the bundled model that <see cref="Model"/> names.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Intra-op threads of the ONNX session; 0 means one per processor.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while they wait for work (session config entry
    /// <c>session.intra_op.allow_spinning</c>). Off by default: on a small, shared machine the spinning threads take the
    /// cores the other threads need, and off measured faster (docs/benchmarks.md). Worth trying on for a dedicated
    /// machine that answers single queries back to back.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>
    /// Linux nice value of the threads that run the encoder (0–19; 0 leaves their priority alone). The default, 10, lets
    /// every other thread of the process — cached answers, health checks, Kestrel — take a core from the encoder at once
    /// when the machine is busy; on an idle machine the encoder still gets every core. Measured in docs/reliability.md ("Load").
    /// </summary>
    [Range(0, 19)]
    public int Niceness { get; set; } = 10;
}
