using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>
/// A loopback HTTP forwarder (Kestrel in front, <see cref="HttpClient"/> behind) that stands between a client and a
/// service stand-in and, as its <see cref="FaultInjector"/> decides, answers a request itself instead of forwarding it:
/// 429 with the headers in <see cref="ThrottleHeaders"/>, 500, 503, or a connection reset without an answer. Every
/// fault happens before the request reaches the service, so the service never does work whose answer is lost: what the
/// service counts is what the client received. Everything else is forwarded as is, headers and body.
/// </summary>
internal sealed class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Uri _target;

    private FaultInjectingProxy(WebApplication app, HttpClient upstream, Uri target, FaultInjector faults)
    {
        _app = app;
        _upstream = upstream;
        _target = target;
        Faults = faults;
    }

    public FaultInjector Faults { get; }

    /// <summary>The proxy's own address: give it to the client instead of the service's.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Headers a 429 carries (Azure OpenAI: Retry-After and retry-after-ms; Cosmos DB: x-ms-retry-after-ms).</summary>
    public Dictionary<string, string> ThrottleHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests that may be failed; others are always forwarded (default: all may fail).</summary>
    public Func<HttpRequest, bool> Eligible { get; set; } = _ => true;

    /// <summary>Requests forwarded to the service.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    private int _forwarded;

    public static async Task<FaultInjectingProxy> StartAsync(Uri target, FaultInjector faults)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        var proxy = new FaultInjectingProxy(app, upstream, target, faults);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        switch (Faults.Next(Eligible(context.Request)))
        {
            case FaultKind.Throttled:
                await AnswerAsync(context, 429, "TooManyRequests", "Request rate is large. More Request Units may be needed, so no changes were made. Please retry this request later.", ThrottleHeaders);
                return;
            case FaultKind.InternalError:
                await AnswerAsync(context, 500, "InternalServerError", "Injected internal error.", null);
                return;
            case FaultKind.Unavailable:
                await AnswerAsync(context, 503, "ServiceUnavailable", "Injected: the service is temporarily unavailable.", null);
                return;
            case FaultKind.Dropped:
                context.Abort();
                return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString));
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 || context.Request.ContentLength is not null)
        {
            body.Position = 0;
            request.Content = new StreamContent(body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        Interlocked.Increment(ref _forwarded);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task AnswerAsync(HttpContext context, int status, string code, string message, IReadOnlyDictionary<string, string>? headers)
    {
        // Drain the request so the connection stays usable for the client's retry.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentType = "application/json";
        var error = new System.Text.Json.Nodes.JsonObject { ["code"] = code, ["message"] = message };
        var json = new System.Text.Json.Nodes.JsonObject { ["code"] = code, ["message"] = message, ["error"] = error }.ToJsonString();
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
