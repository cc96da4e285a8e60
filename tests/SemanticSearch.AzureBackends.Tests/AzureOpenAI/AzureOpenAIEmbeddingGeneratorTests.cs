using System.Diagnostics;
using Azure.Core;
using Microsoft.Extensions.AI;
using SemanticSearch.AzureBackends.AzureOpenAI;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;

namespace SemanticSearch.AzureBackends.Tests.AzureOpenAI;

/// <summary>
/// The Azure OpenAI encoder against a loopback server that speaks the embeddings REST contract. These tests also
/// prove, at run time, that Azure.AI.OpenAI 2.1.0 works with the newer OpenAI library that
/// Microsoft.Extensions.AI.OpenAI 10.11.0 brings in.
/// </summary>
public sealed class AzureOpenAIEmbeddingGeneratorTests : IDisposable
{
    private readonly FakeAzureOpenAIServer _server = new(dimensions: 64);
    private readonly CancellationToken _ct = CancellationToken.None;

    private AzureOpenAIEncoderOptions Options(string? model = "text-embedding-3-small", int? dimensions = 64, string? apiKey = "test-key") => new()
    {
        Endpoint = _server.Endpoint,
        Deployment = "embeddings-deployment",
        Model = model,
        Dimensions = dimensions,
        ApiKey = apiKey,
    };


    private static TokenCredential NoCredential() => throw new InvalidOperationException("An API key is configured; no token should be asked for.");

    [Fact]
    public async Task SendsTheDocumentedRequestAndDecodesBase64Vectors()
    {
        using var encoder = new AzureOpenAIEmbeddingGenerator(Options(), batchSize: 16, NoCredential);

        var result = await encoder.GenerateAsync(["the honeybee dances", "volcanic ash"], new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage), _ct);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/openai/deployments/embeddings-deployment/embeddings", request.Path);
        Assert.Contains("api-version=2024-10-21", request.Query, StringComparison.Ordinal);
        Assert.Equal("test-key", request.ApiKey);
        Assert.Equal(["the honeybee dances", "volcanic ash"], request.Inputs);
        Assert.Equal("base64", (string?)request.Json["encoding_format"]);
        Assert.Equal(64, (int)request.Json["dimensions"]!);
        // Nothing of ours (the input kind) leaks into the request.
        Assert.Equal(["dimensions", "encoding_format", "input", "model"], request.Json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HashingEmbeddingGenerator.Embed("volcanic ash", 64), result[1].Vector.ToArray());
        Assert.Equal("text-embedding-3-small", result[0].ModelId);

        var metadata = encoder.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal("azure-openai", metadata.ProviderName);
        Assert.Equal("text-embedding-3-small", metadata.DefaultModelId);
        Assert.Equal(64, metadata.DefaultModelDimensions);
    }

    [Fact]
    public async Task WithoutAKeyTheTokenCredentialIsUsedForTheCognitiveServicesScope()
    {
        var credential = new RecordingCredential();
        using var encoder = new AzureOpenAIEmbeddingGenerator(Options(apiKey: null), batchSize: 16, () => credential);

        await encoder.GenerateAsync(["text"], cancellationToken: _ct);

        Assert.Equal("Bearer token-1", Assert.Single(_server.Requests).Authorization);
        Assert.Equal(["https://cognitiveservices.azure.com/.default"], credential.Scopes);
    }

    [Fact]
    public async Task Ada002GetsNoDimensionsParameterAndReportsItsNativeSize()
    {
        await using var server = new FakeAzureOpenAIServer(dimensions: 1536);
        var options = Options(model: "text-embedding-ada-002", dimensions: null);
        options.Endpoint = server.Endpoint;
        using var encoder = new AzureOpenAIEmbeddingGenerator(options, batchSize: 16, NoCredential);

        await encoder.GenerateAsync(["text"], cancellationToken: _ct);

        Assert.False(Assert.Single(server.Requests).Json.ContainsKey("dimensions"));
        Assert.Equal(1536, encoder.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public async Task SplitsACallIntoRequestsOfAtMostBatchSizeInputsInOrder()
    {
        using var encoder = new AzureOpenAIEmbeddingGenerator(Options(), batchSize: 4, NoCredential);
        var texts = Enumerable.Range(0, 10).Select(i => $"text number {i}").ToList();

        var result = await encoder.GenerateAsync(texts, cancellationToken: _ct);

        Assert.Equal([4, 4, 2], _server.Requests.OrderBy(r => r.ReceivedAt).Select(r => r.Inputs.Count));
        Assert.Equal(texts, _server.InputsServed);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(HashingEmbeddingGenerator.Embed(texts[i], 64), result[i].Vector.ToArray());
        }
    }

    [Fact]
    public void RequestsStayWithinTheTokenBudgetAndOverlongInputsAreCut()
    {
        var tokenizer = TokenBudgetBatchingEmbeddingGenerator.CreateTokenizer("text-embedding-3-small");
        using var inner = new HashingEmbeddingGenerator();
        using var batcher = new TokenBudgetBatchingEmbeddingGenerator(inner, tokenizer, maxInputs: 100, maxTokens: 25, maxInputTokens: 10);
        string[] texts = ["one two three four five", "six seven eight nine ten", "eleven twelve", string.Join(' ', Enumerable.Repeat("word", 40))];

        var plan = batcher.Plan(texts);

        Assert.All(plan, batch => Assert.True(batch.Sum(t => tokenizer.CountTokens(t)) <= 25));
        Assert.Equal(texts.Length, plan.Sum(b => b.Count));
        Assert.Equal(texts[..3], plan.SelectMany(b => b).Take(3));
        Assert.Equal(10, tokenizer.CountTokens(plan[^1][^1]));
        Assert.Equal(5, tokenizer.CountTokens("one two three four five"));
    }

    [Fact]
    public async Task ThrottlingWithRetryAfterIsWaitedOutByTheClientPipeline()
    {
        using var encoder = new AzureOpenAIEmbeddingGenerator(Options(), batchSize: 16, NoCredential);
        _server.Throttle(2, retryAfterSeconds: 1);

        var watch = Stopwatch.StartNew();
        var result = await encoder.GenerateAsync(["a", "b"], cancellationToken: _ct);

        Assert.Equal(2, result.Count);
        var requests = _server.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal([429, 429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95), "the first retry must wait what Retry-After asks");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= TimeSpan.FromSeconds(0.95), "so must the second");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9));
    }

    [Fact]
    public async Task ARequestThatGetsNoAnswerWithinTheNetworkTimeoutIsRetried()
    {
        var clientOptions = AzureOpenAIEmbeddingGenerator.CreateClientOptions();
        clientOptions.NetworkTimeout = TimeSpan.FromMilliseconds(500);
        using var encoder = new AzureOpenAIEmbeddingGenerator(Options(), batchSize: 16, NoCredential, clientOptions);
        _server.Stall(1, TimeSpan.FromSeconds(5));

        var watch = Stopwatch.StartNew();
        var result = await encoder.GenerateAsync(["a"], cancellationToken: _ct);

        Assert.Single(result);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AVectorOfTheWrongSizeIsRefused()
    {
        // The deployment answers with 64 dimensions but 32 were configured (and asked for, which this server ignores).
        await using var server = new FakeAzureOpenAIServer(dimensions: 64);
        var options = Options(model: "text-embedding-ada-002", dimensions: null);
        options.Endpoint = server.Endpoint;
        using var encoder = new AzureOpenAIEmbeddingGenerator(options, batchSize: 16, NoCredential);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => encoder.GenerateAsync(["a"], cancellationToken: _ct));
        Assert.Contains("Encoder:AzureOpenAI:Dimensions", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _server.Dispose();


    private sealed class RecordingCredential : TokenCredential
    {
        private int _issued;

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }
            return new AccessToken($"token-{Interlocked.Increment(ref _issued)}", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
