using System.ComponentModel.DataAnnotations;

namespace SemanticSearch.Configuration;

public sealed class EncoderOptions
{
    public EncoderProvider Provider { get; set; } = EncoderProvider.Onnx;

    /// <summary>Texts sent to the encoder in one call (ONNX: one session run; Azure OpenAI: one request).</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 32;

    public OnnxEncoderOptions Onnx { get; set; } = new();

    public AzureOpenAIEncoderOptions AzureOpenAI { get; set; } = new();
}
