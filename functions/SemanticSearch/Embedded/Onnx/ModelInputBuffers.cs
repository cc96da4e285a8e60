using System.Buffers;

namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// The three Int64 <c>[batch, sequence]</c> inputs of a BERT encoder (input_ids, attention_mask, token_type_ids), in
/// arrays rented once per call and refilled for each batch. The tensors handed to ONNX Runtime are views of these
/// arrays, so no input is copied.
/// </summary>
internal sealed class ModelInputBuffers : IDisposable
{
    private readonly long[] _inputIds;
    private readonly long[] _attentionMask;
    private readonly long[] _tokenTypeIds;
    private bool _returned;

    public ModelInputBuffers(int maxRows, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);

        int capacity = checked(maxRows * maxLength);
        _inputIds = ArrayPool<long>.Shared.Rent(capacity);
        _attentionMask = ArrayPool<long>.Shared.Rent(capacity);
        _tokenTypeIds = ArrayPool<long>.Shared.Rent(capacity);

        // A single sequence per input: every token type is segment 0, so this buffer is cleared once and never written.
        Array.Clear(_tokenTypeIds, 0, capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Rows { get; private set; }

    /// <summary>The padded length of the current batch: its longest sequence.</summary>
    public int Length { get; private set; }

    public Memory<long> InputIds => _inputIds.AsMemory(0, Rows * Length);

    public Memory<long> AttentionMask => _attentionMask.AsMemory(0, Rows * Length);

    public Memory<long> TokenTypeIds => _tokenTypeIds.AsMemory(0, Rows * Length);

    /// <summary>The shape of the current batch's tensors.</summary>
    public long[] Shape => [Rows, Length];

    /// <summary>
    /// Lays out <paramref name="rows"/> (indexes into <paramref name="sequences"/>) one per row, padded with id 0 and
    /// mask 0 up to the longest of them.
    /// </summary>
    public void Fill(int[][] sequences, ReadOnlySpan<int> rows)
    {
        int length = 0;
        foreach (int index in rows)
        {
            length = Math.Max(length, sequences[index].Length);
        }

        if ((long)rows.Length * length > Capacity)
        {
            throw new ArgumentException($"A batch of {rows.Length} × {length} tokens exceeds the {Capacity} rented.", nameof(rows));
        }

        Rows = rows.Length;
        Length = length;

        var ids = _inputIds.AsSpan(0, Rows * Length);
        var mask = _attentionMask.AsSpan(0, Rows * Length);
        for (int row = 0; row < rows.Length; row++)
        {
            int[] sequence = sequences[rows[row]];
            var rowIds = ids.Slice(row * length, length);
            var rowMask = mask.Slice(row * length, length);

            for (int position = 0; position < sequence.Length; position++)
            {
                rowIds[position] = sequence[position];
            }

            rowIds[sequence.Length..].Clear();
            rowMask[..sequence.Length].Fill(1);
            rowMask[sequence.Length..].Clear();
        }
    }

    public void Dispose()
    {
        if (_returned)
        {
            return;
        }

        _returned = true;
        ArrayPool<long>.Shared.Return(_inputIds);
        ArrayPool<long>.Shared.Return(_attentionMask);
        ArrayPool<long>.Shared.Return(_tokenTypeIds);
    }
}
