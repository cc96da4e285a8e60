using System.Diagnostics;
using Microsoft.Extensions.AI;
using SemanticSearch.AzureBackends.AzureOpenAI;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;

namespace SemanticSearch.AzureBackends.Tests.AzureOpenAI;

/// <summary>
/// The per-instance tokens-a-minute limiter (Encoder:AzureOpenAI:TokensPerMinute): ingestion waits for tokens instead
/// of meeting the deployment's 429s, boundedly and cancellably; queries never wait behind it.
/// </summary>
public sealed class TokensPerMinuteTests : IDisposable
{
    private static readonly Microsoft.ML.Tokenizers.Tokenizer Tokenizer = TokenBudgetBatchingEmbeddingGenerator.CreateTokenizer("text-embedding-3-small");

    private readonly FakeAzureOpenAIServer _server = new(dimensions: 64);

    /// <summary>A text of exactly <paramref name="tokens"/> cl100k tokens.</summary>
    private static string Text(int tokens, string word = "word")
    {
        var text = string.Join(' ', Enumerable.Repeat(word, tokens));
        Assert.Equal(tokens, Tokenizer.CountTokens(text));
        return text;
    }

    private static EmbeddingGenerationOptions Passage => new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage);

    private static EmbeddingGenerationOptions Query => new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Query);

    [Fact]
    public async Task APassageRequestBeyondTheBudgetWaitsForTokensWhileAQueryGoesAhead()
    {
        using var inner = new HashingEmbeddingGenerator();
        // 6,000 a minute: a full bucket of 6,000, refilled by 100 a second.
        using var limiter = new TokensPerMinuteEmbeddingGenerator(inner, Tokenizer, tokensPerMinute: 6000);

        var watch = Stopwatch.StartNew();
        await limiter.GenerateAsync([Text(3000), Text(3000)], Passage);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"a full bucket serves at once ({watch.Elapsed})");

        var waiting = limiter.GenerateAsync([Text(250)], Passage);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "250 tokens need about 2.5 s of refill");
        var query = Stopwatch.StartNew();
        await limiter.GenerateAsync([Text(20)], Query);
        Assert.True(query.Elapsed < TimeSpan.FromSeconds(1), $"a query does not wait behind ingestion ({query.Elapsed})");

        await waiting;
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2), $"the passage request waited for its tokens ({watch.Elapsed})");
    }

    [Fact]
    public async Task TheWaitIsBoundedAndHonoursCancellation()
    {
        using var inner = new HashingEmbeddingGenerator();
        using var limiter = new TokensPerMinuteEmbeddingGenerator(inner, Tokenizer, tokensPerMinute: 60, maxWait: TimeSpan.FromSeconds(1));
        await limiter.GenerateAsync([Text(60)], Passage);

        var watch = Stopwatch.StartNew();
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => limiter.GenerateAsync([Text(30)], Passage));
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));
        Assert.Contains("Encoder:AzureOpenAI:TokensPerMinute", timeout.Message, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.GenerateAsync([Text(30)], Passage, cancel.Token));
    }

    [Fact]
    public async Task TheAzureOpenAIGeneratorSpendsAtMostItsShareAMinuteAndNoRequestExceedsIt()
    {
        var options = new AzureOpenAIEncoderOptions
        {
            Endpoint = _server.Endpoint,
            Deployment = "embeddings-deployment",
            Model = "text-embedding-3-small",
            Dimensions = 64,
            ApiKey = "test-key",
            TokensPerMinute = 6000,
        };
        using var encoder = new AzureOpenAIEmbeddingGenerator(options, batchSize: 100, () => throw new InvalidOperationException("no credential"));
        string[] words = ["sun", "sea", "cat", "dog", "red", "sky", "map", "car", "box", "tree", "road", "book", "rain"];
        // Distinct texts of 100 tokens each (98 words, a space and a digit: cl100k splits digits from the space): 6,300 in all, one request of 6,000 and one of 300.
        var texts = Enumerable.Range(0, 63).Select(i => Text(98, words[i % words.Length]) + " " + (i / words.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(texts, t => Assert.Equal(100, Tokenizer.CountTokens(t)));

        var result = await encoder.GenerateAsync(texts, Passage);

        Assert.Equal(63, result.Count);
        var requests = _server.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(r.Inputs.Sum(t => Tokenizer.CountTokens(t)) <= 6000));
        // The first request spent the bucket; the second waited for the refill of its 300-odd tokens.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(2), $"{requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.Equal(texts, _server.InputsServed);
    }

    public void Dispose() => _server.Dispose();
}
