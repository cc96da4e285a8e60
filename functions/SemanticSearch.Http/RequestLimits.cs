namespace SemanticSearch.Http;

/// <summary>What one request may bring: bounds the local server's Kestrel enforces, and the API itself in every host.</summary>
public static class RequestLimits
{
    /// <summary>A search body is a small JSON object; more is refused with 413 before it is read.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public const int MaxRequestHeadersTotalBytes = 32 * 1024;

    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>A client that has not sent its headers by then is cut off (slow clients must not hold connections).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A body slower than this (after a grace period) is cut off.</summary>
    public const double MinBodyBytesPerSecond = 240;

    public static readonly TimeSpan MinBodyRateGracePeriod = TimeSpan.FromSeconds(5);
}
