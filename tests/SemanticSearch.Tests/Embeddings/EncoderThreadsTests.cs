using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Tests.Embeddings;

/// <summary>
/// The encoder's threads run at a lowered priority on Linux, so a busy encoder leaves the cores to cached answers
/// first; ONNX Runtime's own threads inherit it from the thread that created the session.
/// </summary>
public sealed class EncoderThreadsTests
{
    [Fact]
    public async Task WorkRunsOnAThreadWithTheAskedNiceValueAndErrorsAndCancellationFlowBack()
    {
        using var threads = new EncoderThreads(1, niceness: 10);

        var nice = await threads.RunAsync(() => OperatingSystem.IsLinux() ? NiceOfThisThread() : 10);
        var name = await threads.RunAsync(() => Thread.CurrentThread.Name);

        Assert.Equal(10, nice);
        Assert.Equal("encoder 1", name);
        await Assert.ThrowsAsync<InvalidDataException>(() => threads.RunAsync<int>(() => throw new InvalidDataException("bad")));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => threads.RunAsync<int>(() => throw new OperationCanceledException(cancelled.Token)));
    }

    [Fact]
    public async Task TheGeneratorEmbedsOnItsLoweredThreads()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // nice values are Linux's
        }
        using var generator = OnnxEmbeddingGenerator.Create();

        var embeddings = await generator.GenerateAsync(["This is an example sentence"]);

        Assert.Equal(0.0676569f, embeddings[0].Vector.Span[0], 0.02f);
        var encoderThreads = ThreadsNamed("encoder ").ToList();
        Assert.NotEmpty(encoderThreads);
        Assert.All(encoderThreads, nice => Assert.Equal(10, nice));
    }

    /// <summary>Field 19 of /proc/thread-self/stat (after the parenthesised name) is the nice value.</summary>
    private static int NiceOfThisThread() => NiceOf(File.ReadAllText("/proc/thread-self/stat"));

    private static IEnumerable<int> ThreadsNamed(string prefix) =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal))
            .Select(task => NiceOf(File.ReadAllText(Path.Combine(task, "stat"))));

    private static int NiceOf(string stat) =>
        int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
}
