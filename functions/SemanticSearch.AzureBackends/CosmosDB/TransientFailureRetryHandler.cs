using System.Net;
using Microsoft.Azure.Cosmos;

namespace SemanticSearch.AzureBackends.CosmosDB;

/// <summary>
/// A step in the Cosmos DB client's request pipeline (<see cref="CosmosClientOptions.CustomHandlers"/>) that sends a
/// request again when it failed for a reason that says nothing about the request: 503 Service Unavailable, 408 Request
/// Timeout, or a connection that broke before an answer came. The SDK retries 429 itself (waiting what
/// <c>x-ms-retry-after-ms</c> asks, see <see cref="CosmosClientFactory"/>), but on an account with one region it does
/// not retry a 503 or a dropped connection — it has no other region to fail over to — and the documented advice is for
/// the application to retry them. Every operation the stores send is safe to repeat: point reads, ReadMany, queries,
/// upserts and deletes are idempotent, and the conditional replaces carry an ETag, so a repeat that finds its change
/// already made fails with 412, which their callers already handle.
/// </summary>
/// <remarks>
/// Waits grow exponentially from <see cref="InitialDelay"/> with ±20 % jitter, so that instances throttled together do
/// not retry together; after <see cref="MaxRetries"/> the last answer (or exception) goes to the caller.
/// </remarks>
public sealed class TransientFailureRetryHandler(int maxRetries, TimeSpan initialDelay) : RequestHandler
{
    public int MaxRetries { get; } = maxRetries;

    public TimeSpan InitialDelay { get; } = initialDelay;

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The transport disposes the body it sends: keep a copy to send again.
        byte[]? body = null;
        if (request.Content is { } content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            body = copy.ToArray();
        }
        for (var attempt = 0; ; attempt++)
        {
            if (body is not null)
            {
                request.Content = new MemoryStream(body, writable: false);
            }
            ResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < MaxRetries && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (attempt >= MaxRetries || !IsTransient(response.StatusCode))
            {
                return response;
            }
            // Not Dispose: a response disposes the request with it, and the request is about to be sent again.
            response.Content?.Dispose();
            await WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout;

    private static bool IsTransient(Exception exception) => exception switch
    {
        CosmosException cosmos => IsTransient(cosmos.StatusCode),
        HttpRequestException or IOException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    private Task WaitAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(InitialDelay * Math.Pow(2, attempt) * (0.8 + 0.4 * Random.Shared.NextDouble()), cancellationToken);
}
