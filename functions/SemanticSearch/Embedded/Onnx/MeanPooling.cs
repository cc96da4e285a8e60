using System.Numerics.Tensors;

namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// Turns a transformer's token states into one sentence vector the way sentence-transformers does for all-MiniLM-L6-v2:
/// the mean over the tokens the attention mask lets through, then L2 normalisation.
/// </summary>
internal static class MeanPooling
{
    /// <summary>
    /// <paramref name="tokenStates"/> holds one sequence's states, <c>[paddedLength, dimensions]</c> row-major, with the
    /// real tokens first and padding after them (the mask is a prefix of ones), so only the first
    /// <paramref name="tokenCount"/> rows are read. The result, unit length, goes to <paramref name="destination"/>.
    /// </summary>
    public static void PoolAndNormalize(ReadOnlySpan<float> tokenStates, int tokenCount, Span<float> destination)
    {
        int dimensions = destination.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)tokenCount * dimensions, tokenStates.Length, nameof(tokenCount));

        destination.Clear();
        for (int token = 0; token < tokenCount; token++)
        {
            TensorPrimitives.Add(destination, tokenStates.Slice(token * dimensions, dimensions), destination);
        }

        // Dividing by the token count would only scale the sum, and normalising removes any scale, so the mean's 1/n is
        // folded into the normalisation. The floor matches torch.nn.functional.normalize (eps 1e-12).
        float norm = TensorPrimitives.Norm(destination);
        TensorPrimitives.Divide(destination, MathF.Max(norm, 1e-12f), destination);
    }
}
