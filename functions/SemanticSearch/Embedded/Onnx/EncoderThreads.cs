using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace SemanticSearch.Embedded.Onnx;

/// <summary>
/// Dedicated threads that run the encoder at a lower scheduling priority (a higher Linux nice value), so that when the
/// cores are busy embedding, the threads that answer cached searches, health checks and Kestrel's I/O still get them
/// at once: the encoder takes what is left, which on an idle machine is everything. ONNX Runtime creates its intra-op
/// threads when the session is created, and a Linux thread inherits its creator's nice value, so the session is created
/// on one of these threads too. Elsewhere than Linux (where nice is per process, or absent) the threads run at normal
/// priority.
/// </summary>
internal sealed class EncoderThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread[] _threads;

    public EncoderThreads(int count, int niceness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Niceness = niceness;
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"encoder {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>The nice value the threads asked for (0 when not lowered).</summary>
    public int Niceness { get; }

    /// <summary>Runs <paramref name="work"/> on one of the threads.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (OperationCanceledException cancelled)
            {
                completion.SetCanceled(cancelled.CancellationToken);
            }
            catch (Exception error)
            {
                completion.SetException(error);
            }
        });
        return completion.Task;
    }

    public void Dispose() => _work.CompleteAdding();

    private void Work()
    {
        Lower(Niceness);
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    /// <summary>On Linux, PRIO_PROCESS with id 0 names the calling thread: its nice value is a per-thread attribute.</summary>
    private static void Lower(int niceness)
    {
        if (niceness > 0 && OperatingSystem.IsLinux())
        {
            _ = SetPriority(0, 0, niceness);
        }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, uint who, int priority);
}
