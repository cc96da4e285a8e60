using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SemanticSearch.Configuration;

namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// The bundled encoder: all-MiniLM-L6-v2 (384 dimensions) run in process by ONNX Runtime, producing the same vectors as
/// sentence-transformers (mean pooling over the attention mask, L2-normalised, inputs truncated at 256 tokens) with the
/// fp32 model, and vectors within a cosine of about 0.99 of them with the int8 copy the build derives
/// (<c>Encoder:Onnx:Model</c>).
/// </summary>
/// <remarks>
/// One <see cref="InferenceSession"/> serves every caller (its Run is thread-safe). Texts are embedded in batches of
/// <see cref="EncoderOptions.BatchSize"/>; within a call they are grouped by token length so each batch pads little, and
/// the vectors come back in the caller's order. Passage and query inputs get the same vectors: MiniLM has no prefixes.
/// </remarks>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "onnx";

    /// <summary>Tokens the model reads, [CLS] and [SEP] included: sentence-transformers' max_seq_length for this model.</summary>
    public const int MaxSequenceLength = 256;

    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";

    /// <summary>Per-token states; the model's other output ("924") is BERT's pooler, not the sentence embedding.</summary>
    private const string TokenStatesName = "last_hidden_state";

    private static readonly string[] OutputNames = [TokenStatesName];

    /// <summary>Session config entry: whether intra-op threads spin while waiting for work (<c>Encoder:Onnx:AllowSpinning</c>).</summary>
    internal const string AllowSpinningConfigKey = "session.intra_op.allow_spinning";

    /// <summary>Calls that run at once: a query need not wait for an ingestion batch, and the intra-op pool is shared anyway.</summary>
    private const int EncoderThreadCount = 2;

    private readonly InferenceSession _session;
    private readonly EncoderThreads _threads;
    private readonly string[] _inputNames;
    private readonly int _batchSize;

    /// <summary>Loads the configured model folder (<c>Encoder:Onnx:ModelPath</c>, or the bundled <c>Encoder:Onnx:Model</c>) with its own tokenizer.</summary>
    public OnnxEmbeddingGenerator(IOptions<EncoderOptions> options)
        : this(Required(options), tokenizer: null)
    {
    }

    /// <summary>As the other constructor, sharing a tokenizer already loaded from the same model folder.</summary>
    public OnnxEmbeddingGenerator(IOptions<EncoderOptions> options, MiniLmTokenizer tokenizer)
        : this(Required(options), tokenizer ?? throw new ArgumentNullException(nameof(tokenizer)))
    {
    }

    private OnnxEmbeddingGenerator(EncoderOptions options, MiniLmTokenizer? tokenizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, "Encoder:BatchSize");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Onnx.Threads, "Encoder:Onnx:Threads");

        var folder = OnnxModelFolder.Resolve(options.Onnx);
        string modelPath = folder.RequireFile(OnnxModelFolder.ModelFileName);
        Tokenizer = tokenizer ?? MiniLmTokenizer.Load(folder);
        _batchSize = options.BatchSize;

        // The session keeps its own copy of these options, so they can be released as soon as it exists.
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.Onnx.Threads > 0 ? options.Onnx.Threads : Environment.ProcessorCount,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        sessionOptions.AddSessionConfigEntry(AllowSpinningConfigKey, options.Onnx.AllowSpinning ? "1" : "0");
        // Created on an encoder thread, so ONNX Runtime's own threads inherit its lowered priority (EncoderThreads).
        _threads = new EncoderThreads(EncoderThreadCount, options.Onnx.Niceness);
        try
        {
            _session = _threads.RunAsync(() => new InferenceSession(modelPath, sessionOptions)).GetAwaiter().GetResult();
        }
        catch
        {
            _threads.Dispose();
            throw;
        }
        try
        {
            _inputNames = ReadInputNames(_session, folder);
            Dimensions = ReadDimensions(_session, folder);
        }
        catch
        {
            _session.Dispose();
            _threads.Dispose();
            throw;
        }

        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, folder.ModelId, Dimensions);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>The identity recorded with an index: the model folder's name (<c>all-MiniLM-L6-v2-int8</c>, <c>all-MiniLM-L6-v2</c>).</summary>
    public string ModelId => Metadata.DefaultModelId!;

    public int Dimensions { get; }

    public MiniLmTokenizer Tokenizer { get; }

    /// <summary>Builds a generator outside dependency injection (tests, CLI); defaults are the default bundled model, batch 32.</summary>
    public static OnnxEmbeddingGenerator Create(EncoderOptions? options = null) =>
        new(options ?? new EncoderOptions(), tokenizer: null);

    /// <inheritdoc />
    /// <remarks>
    /// The work is CPU-bound and runs on an encoder thread of lowered priority (<see cref="EncoderThreads"/>,
    /// <c>Encoder:Onnx:Niceness</c>), which ONNX Runtime joins to its intra-op pool: the hop costs a thread switch, and buys
    /// that a busy encoder never holds the cores a cached answer or a health check needs. Cancellation is checked before each batch and also stops a
    /// batch in flight. <see cref="EmbeddingGenerationOptions.ModelId"/> and <see cref="EmbeddingGenerationOptions.Dimensions"/>,
    /// when given, must be this model's: vectors of another shape or model would corrupt an index silently.
    /// </remarks>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GeneratedEmbeddings<Embedding<float>>>(cancellationToken);
        }

        try
        {
            EnsureSupported(options);
            var texts = values as IReadOnlyList<string> ?? [.. values];
            return _threads.RunAsync(() => Generate(texts, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GeneratedEmbeddings<Embedding<float>>>(cancellationToken);
        }
        catch (Exception error)
        {
            return Task.FromException<GeneratedEmbeddings<Embedding<float>>>(error);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(Tokenizer) ? Tokenizer
            : null;
    }

    public void Dispose()
    {
        _session.Dispose();
        _threads.Dispose();
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        int count = values.Count;
        var sequences = new int[count][];
        var lengths = new int[count];
        long tokenCount = 0;
        for (int i = 0; i < count; i++)
        {
            string text = values[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(values));
            sequences[i] = Tokenizer.EncodeForModel(text, MaxSequenceLength);
            lengths[i] = sequences[i].Length;
            tokenCount += lengths[i];
        }

        // Shortest first: neighbours in this order have similar lengths, so each batch pads only to a close neighbour.
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(lengths, order);

        var vectors = new float[count][];
        if (count > 0)
        {
            int rowsPerBatch = Math.Min(_batchSize, count);
            using var runOptions = new RunOptions();
            using var stopRunOnCancel = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            using var buffers = new ModelInputBuffers(rowsPerBatch, maxLength: lengths[^1]);

            for (int start = 0, end; start < count; start = end)
            {
                cancellationToken.ThrowIfCancellationRequested();
                end = BatchEnd(lengths, start, rowsPerBatch);
                EncodeBatch(sequences, order.AsSpan(start, end - start), buffers, runOptions, vectors, cancellationToken);
            }
        }

        var createdAt = DateTimeOffset.UtcNow;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(count)
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        };
        foreach (float[] vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = createdAt });
        }

        return embeddings;
    }

    /// <summary>
    /// Where the batch that starts at <paramref name="start"/> (in length order) ends: at most <paramref name="maxRows"/>
    /// rows, and only rows whose length is within a quarter of the first one's. On CPU a padded token costs as much as
    /// a real one and batching itself gains little, so mixing a 20-token title with 250-token paragraphs would make
    /// the batch up to 1.8× slower than encoding them one by one (measured with the bench verb on SciFact chunks).
    /// </summary>
    internal static int BatchEnd(ReadOnlySpan<int> sortedLengths, int start, int maxRows)
    {
        int limit = Math.Min(sortedLengths.Length, start + maxRows);
        int longestAllowed = sortedLengths[start] + Math.Max(8, sortedLengths[start] / 4);
        int end = start + 1;
        while (end < limit && sortedLengths[end] <= longestAllowed)
        {
            end++;
        }

        return end;
    }

    private void EncodeBatch(
        int[][] sequences,
        ReadOnlySpan<int> rows,
        ModelInputBuffers buffers,
        RunOptions runOptions,
        float[][] vectors,
        CancellationToken cancellationToken)
    {
        buffers.Fill(sequences, rows);
        long[] shape = buffers.Shape;

        // Views of the rented arrays: ONNX Runtime reads them in place while they stay pinned by these values.
        using var inputIds = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.InputIds, shape);
        using var attentionMask = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.AttentionMask, shape);
        using var tokenTypeIds = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.TokenTypeIds, shape);
        OrtValue[] inputs = _inputNames.Length == 3 ? [inputIds, attentionMask, tokenTypeIds] : [inputIds, attentionMask];

        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, _inputNames, inputs, OutputNames);
        }
        catch (OnnxRuntimeException error) when (cancellationToken.IsCancellationRequested)
        {
            // RunOptions.Terminate (set on cancellation) makes ONNX Runtime abandon the batch with an error.
            throw new OperationCanceledException("Embedding was cancelled.", error, cancellationToken);
        }

        using (outputs)
        {
            ReadOnlySpan<float> tokenStates = outputs[0].GetTensorDataAsSpan<float>();
            int rowSize = buffers.Length * Dimensions;
            for (int row = 0; row < rows.Length; row++)
            {
                int index = rows[row];
                var vector = new float[Dimensions];
                MeanPooling.PoolAndNormalize(tokenStates.Slice(row * rowSize, rowSize), sequences[index].Length, vector);
                vectors[index] = vector;
            }
        }
    }

    private void EnsureSupported(EmbeddingGenerationOptions? options)
    {
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{ModelId} produces {Dimensions}-dimensional vectors; {dimensions} were asked for.");
        }

        if (options?.ModelId is { } modelId && !string.Equals(modelId, ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"This ONNX encoder runs {ModelId}; model '{modelId}' was asked for.");
        }
    }

    private static string[] ReadInputNames(InferenceSession session, OnnxModelFolder folder)
    {
        var inputs = session.InputMetadata;
        if (!inputs.ContainsKey(InputIdsName) || !inputs.ContainsKey(AttentionMaskName))
        {
            throw new InvalidOperationException(
                $"{folder.ModelPath} is not a BERT encoder: it needs the inputs {InputIdsName} and {AttentionMaskName}, " +
                $"and has {string.Join(", ", inputs.Keys)}.");
        }

        // Some exports drop token_type_ids; with one segment per input it would be all zeros anyway.
        return inputs.ContainsKey(TokenTypeIdsName)
            ? [InputIdsName, AttentionMaskName, TokenTypeIdsName]
            : [InputIdsName, AttentionMaskName];
    }

    private static int ReadDimensions(InferenceSession session, OnnxModelFolder folder)
    {
        if (!session.OutputMetadata.TryGetValue(TokenStatesName, out var states)
            || states.ElementType != typeof(float)
            || states.Dimensions is not [_, _, > 0 and var dimensions])
        {
            throw new InvalidOperationException(
                $"{folder.ModelPath} has no float output {TokenStatesName} [batch, sequence, dimensions] to pool.");
        }

        return dimensions;
    }

    private static EncoderOptions Required(IOptions<EncoderOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }
}
