using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace SemanticSearch.AzureBackends.Tests.Support;

/// <summary>
/// A loopback HTTP server speaking the Azure OpenAI embeddings contract (inference.json 2024-10-21:
/// <c>POST /openai/deployments/{deployment}/embeddings?api-version=…</c> with <c>{"input": [...]}</c>, answered by
/// <c>{"data": [{"index", "embedding"}], "usage": {...}}</c>). Embeddings are deterministic word hashes (see
/// <see cref="HashingEmbeddingGenerator"/>), base64 float32 when the client asks for <c>encoding_format: base64</c>.
/// It can throttle the first requests (429 + Retry-After) or stall them, and records every request.
/// </summary>
internal sealed class FakeAzureOpenAIServer : IAsyncDisposable, IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _throttleRemaining;
    private int _stallRemaining;

    public FakeAzureOpenAIServer(int dimensions = 64)
    {
        Dimensions = dimensions;
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public int Dimensions { get; }

    public List<EmbeddingsRequest> Requests { get; } = [];

    /// <summary>Successful requests' inputs, in order.</summary>
    public IEnumerable<string> InputsServed => Requests.Where(r => r.Status == 200).SelectMany(r => r.Inputs);

    /// <summary>Answer the next <paramref name="count"/> requests with 429 and <c>Retry-After: retryAfterSeconds</c>.</summary>
    public void Throttle(int count, int retryAfterSeconds = 1)
    {
        RetryAfterSeconds = retryAfterSeconds;
        Volatile.Write(ref _throttleRemaining, count);
    }

    public int RetryAfterSeconds { get; private set; } = 1;

    /// <summary>Hold the next <paramref name="count"/> requests for <paramref name="delay"/> before answering.</summary>
    public void Stall(int count, TimeSpan delay)
    {
        StallDelay = delay;
        Volatile.Write(ref _stallRemaining, count);
    }

    public TimeSpan StallDelay { get; private set; }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var json = JsonNode.Parse(body)!.AsObject();
        var inputs = json["input"] is JsonArray array ? array.Select(i => (string)i!).ToList() : [(string)json["input"]!];
        var recorded = new EmbeddingsRequest(request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query, body, json, inputs,
            request.Headers["api-key"], request.Headers["Authorization"], DateTimeOffset.UtcNow);
        try
        {
            if (Interlocked.Decrement(ref _stallRemaining) >= 0)
            {
                await Task.Delay(StallDelay, _stop.Token);
            }
            if (Interlocked.Decrement(ref _throttleRemaining) >= 0)
            {
                recorded.Status = 429;
                context.Response.Headers["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteAsync(context.Response, 429, new JsonObject { ["error"] = new JsonObject { ["code"] = "429", ["message"] = "Requests to the Embeddings_Create Operation have exceeded call rate limit." } });
                return;
            }
            recorded.Status = 200;
            var base64 = (string?)json["encoding_format"] == "base64";
            var dimensions = json["dimensions"] is { } d ? (int)d : Dimensions;
            var data = new JsonArray();
            for (var i = 0; i < inputs.Count; i++)
            {
                var vector = HashingEmbeddingGenerator.Embed(inputs[i], dimensions);
                JsonNode embedding = base64
                    ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                    : new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]);
                data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
            }
            var tokens = inputs.Sum(t => t.Split(' ').Length);
            await WriteAsync(context.Response, 200, new JsonObject
            {
                ["object"] = "list",
                ["data"] = data,
                ["model"] = "text-embedding-3-small",
                ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
            });
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
            // The client gave up on this request (a timeout test); nothing to answer.
        }
        finally
        {
            lock (Requests)
            {
                Requests.Add(recorded);
            }
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task WriteAsync(HttpListenerResponse response, int status, JsonNode body)
    {
        // As the service writes it: a base64 '+' stays '+'. (System.Text.Json's default encoder would write \u002B, which
        // OpenAI 2.1.0 — the library Azure.AI.OpenAI 2.1.0 is built for — reads as raw base64 and refuses.)
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(RelaxedJson));
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

internal sealed record EmbeddingsRequest(
    string Method,
    string Path,
    string Query,
    string Body,
    JsonObject Json,
    IReadOnlyList<string> Inputs,
    string? ApiKey,
    string? Authorization,
    DateTimeOffset ReceivedAt)
{
    public int Status { get; set; }
}
