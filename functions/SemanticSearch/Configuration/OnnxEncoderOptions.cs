using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

public sealed class OnnxEncoderOptions
{
    /// <summary>Folder holding model.onnx and vocab.txt; empty means the model bundled next to the binaries.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Intra-op threads of the ONNX session; 0 means one per processor.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}
