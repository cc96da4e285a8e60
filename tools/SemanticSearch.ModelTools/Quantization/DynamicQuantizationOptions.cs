namespace SemanticSearch.ModelTools;

/// <summary>How the int8 weights of a dynamically quantized MatMul are stored.</summary>
public enum QuantizedWeightType
{
    /// <summary>Signed 8-bit, symmetric (zero point 0, range ±127, or ±63 with <see cref="DynamicQuantizationOptions.ReduceRange"/>).</summary>
    SignedSymmetric,

    /// <summary>Unsigned 8-bit, asymmetric (a zero point per scale, range 0..255, or 0..127 with <see cref="DynamicQuantizationOptions.ReduceRange"/>).</summary>
    UnsignedAsymmetric,
}

/// <summary>
/// Settings of <see cref="OnnxDynamicQuantizer"/>. The defaults are those of onnxruntime's
/// <c>quantize_dynamic(per_channel=True, weight_type=QInt8)</c> restricted to MatMul: int8 symmetric weights with one
/// scale per output column, activations quantized to uint8 at run time.
/// </summary>
public sealed record DynamicQuantizationOptions
{
    /// <summary>
    /// What the build bundles as <c>all-MiniLM-L6-v2-int8</c>: int8 symmetric MatMul weights with one scale per output
    /// column, each self-attention block fused into a QAttention, the word embeddings left in float. Measured on
    /// SciFact and against transformers.js (docs/benchmarks.md): per-tensor scales lose too much (cosine to fp32 0.93),
    /// int8 embeddings save 35 MB but made retrieval a little worse for no speed.
    /// </summary>
    public static DynamicQuantizationOptions BundledInt8 { get; } = new() { FuseAttention = true };

    /// <summary>One scale (and zero point) per output column of each weight matrix; otherwise one per matrix.</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>
    /// Keeps weights to 7 bits. CPUs whose int8 dot product is the AVX2 <c>vpmaddubsw</c> (no AVX-VNNI / AVX512-VNNI) add
    /// pairs of u8×s8 products in 16 bits, which can saturate with full-range weights; 7-bit weights cannot.
    /// </summary>
    public bool ReduceRange { get; init; }

    /// <summary>Signed symmetric (default) or unsigned asymmetric weights.</summary>
    public QuantizedWeightType WeightType { get; init; } = QuantizedWeightType.SignedSymmetric;

    /// <summary>
    /// Quantize the activation of a MatMul input once even when several MatMuls read it (the query, key and value
    /// projections of an attention layer). When false, each MatMul gets its own DynamicQuantizeLinear, which
    /// ONNX Runtime then fuses with the MatMul into one DynamicQuantizeMatMul kernel.
    /// </summary>
    public bool ShareInputQuantization { get; init; }

    /// <summary>
    /// Before quantizing, fold the exported Reshape shape arithmetic (<see cref="OnnxShapeSimplifier"/>) and fuse each BERT
    /// self-attention block into one Attention node (<see cref="OnnxAttentionFusion"/>), which then becomes a QAttention:
    /// one int8 GEMM for Q, K and V and ONNX Runtime's fused attention kernel.
    /// </summary>
    public bool FuseAttention { get; init; }

    /// <summary>
    /// Also store large embedding tables read by <c>Gather</c> (at least <see cref="MinimumEmbeddingElements"/> values) in
    /// int8, one scale per row, dequantized after the lookup. Shrinks all-MiniLM-L6-v2 by 35 MB; costs almost no time.
    /// </summary>
    public bool QuantizeEmbeddings { get; init; }

    /// <summary>Embedding tables smaller than this stay float (the default only takes a vocabulary-sized table).</summary>
    public int MinimumEmbeddingElements { get; init; } = 1_000_000;

    /// <summary>Names of MatMul nodes (or of their weight initializers) that stay in float.</summary>
    public IReadOnlySet<string> ExcludedNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Weight matrices with fewer elements than this stay in float: tiny MatMuls gain nothing.</summary>
    public int MinimumWeightElements { get; init; } = 256;
}
