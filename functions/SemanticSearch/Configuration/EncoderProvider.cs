namespace SemanticSearch.Configuration;

/// <summary>Which embedding generator embeds passages and queries (setting <c>Encoder:Provider</c>).</summary>
public enum EncoderProvider
{
    /// <summary>The bundled all-MiniLM-L6-v2, run in process by ONNX Runtime.</summary>
    Onnx,

    /// <summary>An Azure OpenAI embeddings deployment (needs the Azure backends).</summary>
    AzureOpenAI,
}
