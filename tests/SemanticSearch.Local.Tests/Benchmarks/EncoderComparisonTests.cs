using System.Text.Json;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Tests.Evaluation;

namespace SemanticSearch.Local.Tests.Benchmarks;

/// <summary>
/// <c>bench --encoders --quick</c> end to end on the tiny fixture: the four bundled variants and a peer measured
/// interleaved, the table, the JSON and the texts file the peer reads. The peer here is a few lines of shell speaking
/// the protocol of benchmarks/peer-transformersjs/bench.mjs, so CI needs no transformers.js; timings are not asserted.
/// </summary>
public sealed class EncoderComparisonTests
{
    private const string FakePeer = """
        echo "some start-up noise"
        echo "peer fake-peer: first values 0.0676569, 0.0634959; cos(man eating) 0.7553; args $*"
        echo "READY 12"
        while read verb a b; do
          case "$verb" in
            quit) exit 0 ;;
            embed) echo "DONE 40" ;;
            query) echo "DONE 2.5" ;;
          esac
        done
        """;

    [Fact]
    public async Task QuickComparisonMeasuresEveryBundledModelAndThePeer()
    {
        using var folder = new TempDirectory();
        using var console = new CapturedConsole();
        string script = folder.File("fake-peer.sh");
        await File.WriteAllTextAsync(script, FakePeer);
        var output = new FileInfo(folder.File("encoders.json"));
        var arguments = EncoderComparisonArguments.Quick(new FileInfo(TinyBeir.Corpus), new FileInfo(TinyBeir.Queries)) with
        {
            Peers = [$"sh '{script}'"],
            Work = new DirectoryInfo(folder.File("work")),
            Output = output,
        };

        Assert.Equal(0, await BenchCommand.RunEncodersAsync(arguments, console.Console, CancellationToken.None));

        Assert.Contains("Encoders:", console.Text, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(output.FullName));
        var root = report.RootElement;
        Assert.Equal("peer fake-peer", root.GetProperty("reference").GetString());
        Assert.Equal(8, root.GetProperty("batch").GetInt32());
        Assert.Equal(2, root.GetProperty("rounds").GetInt32());
        Assert.StartsWith("avx", root.GetProperty("cpuFlags").GetString(), StringComparison.Ordinal);
        var contestants = root.GetProperty("contestants").EnumerateArray().ToList();
        Assert.Equal(
            ["fp32, spinning on", "fp32, spinning off", "int8, spinning on", "int8, spinning off", "peer fake-peer"],
            contestants.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([90.9, 90.9, 59.1, 59.1], contestants.Take(4).Select(c => Math.Round(c.GetProperty("modelMB").GetDouble(), 1)));

        // The peer's own timing is what counts: 40 ms per turn of at most 16 passages, 2.5 ms per query.
        var peer = contestants[^1];
        int passages = root.GetProperty("passages").GetInt32();
        int turns = (passages + 15) / 16;
        Assert.Equal(passages / (turns * 0.040), peer.GetProperty("passagesPerSecond").GetProperty("median").GetDouble(), 6);
        Assert.Equal(1.0, peer.GetProperty("ratio").GetProperty("median").GetDouble(), 6);
        Assert.Equal(2.5, peer.GetProperty("queryP50Ms").GetDouble(), 6);
        Assert.Equal(12, peer.GetProperty("sessionMs").GetDouble());
        Assert.Contains(root.GetProperty("peerChecks").EnumerateArray(), l => l.GetString()!.Contains("--serve --texts", StringComparison.Ordinal));
        Assert.All(contestants, c => Assert.True(c.GetProperty("passagesPerSecond").GetProperty("median").GetDouble() > 0));

        // The texts the peer read: the same passages and queries the bundled encoders embedded.
        using var texts = JsonDocument.Parse(await File.ReadAllTextAsync(arguments.TextsPath));
        Assert.Equal(passages, texts.RootElement.GetProperty("passages").GetArrayLength());
        Assert.Equal(arguments.Queries, texts.RootElement.GetProperty("queries").GetArrayLength());
    }

    [Fact]
    public async Task APeerThatCannotStartSaysHowToInstallIt()
    {
        using var folder = new TempDirectory();
        using var console = new CapturedConsole();
        var arguments = EncoderComparisonArguments.Quick(new FileInfo(TinyBeir.Corpus), new FileInfo(TinyBeir.Queries)) with
        {
            Passages = 4,
            Rounds = 1,
            Peers = ["echo 'Cannot find package @huggingface/transformers' >&2; exit 1"],
            Work = new DirectoryInfo(folder.File("work")),
            Output = new FileInfo(folder.File("encoders.json")),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BenchCommand.RunEncodersAsync(arguments, console.Console, CancellationToken.None));

        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot find package", error.Message, StringComparison.Ordinal);
    }
}
