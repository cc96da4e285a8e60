using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace SemanticSearch.AzureBackends.BlobStorage;

/// <summary>
/// A Blob Storage event as an Event Grid subscription delivers it to a storage queue: one event per message, in the
/// Event Grid schema (<c>eventType</c>) or the CloudEvents 1.0 schema (<c>type</c>). The blob is read from
/// <c>data.url</c> (percent-encoded; works for Azure and Azurite addresses) or else from the <c>subject</c>
/// (<c>/blobServices/default/containers/{container}/blobs/{name}</c>).
/// </summary>
public sealed partial record BlobEvent(string EventType, string? ContainerName, string? BlobName)
{
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";
    public const string BlobDeletedType = "Microsoft.Storage.BlobDeleted";

    public bool IsDeletion => string.Equals(EventType, BlobDeletedType, StringComparison.Ordinal);

    /// <summary>
    /// Parses a queue message: one event or an array of them, as JSON text or as base64 of it. The queue trigger
    /// already removes one layer of base64 (host.json <c>messageEncoding</c>); Event Grid has written queue messages
    /// both plainly and base64-encoded over the years, so both are accepted here.
    /// </summary>
    /// <exception cref="FormatException">The message is not such an event; retrying cannot help.</exception>
    public static IReadOnlyList<BlobEvent> Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Decode(message));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The message is not an Event Grid event: {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return [.. elements.Select(Read)];
        }
    }

    private static string Decode(string message)
    {
        var trimmed = message.Trim();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            return trimmed;
        }
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(trimmed)).Trim();
            if (decoded.StartsWith('{') || decoded.StartsWith('['))
            {
                return decoded;
            }
        }
        catch (FormatException)
        {
            // Neither JSON nor base64; reported below.
        }
        throw new FormatException("The message is neither JSON nor base64-encoded JSON.");
    }

    private static BlobEvent Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("An event must be a JSON object.");
        }
        var type = Text(element, "eventType") ?? Text(element, "type")
            ?? throw new FormatException("The event has neither 'eventType' (Event Grid schema) nor 'type' (CloudEvents schema).");
        var url = element.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? Text(data, "url") : null;
        var (container, blob) = FromUrl(url) ?? FromSubject(Text(element, "subject")) ?? (null, null);
        if (type.StartsWith("Microsoft.Storage.Blob", StringComparison.Ordinal) && blob is null)
        {
            throw new FormatException($"The {type} event names no blob: neither data.url nor subject is a blob address.");
        }
        return new BlobEvent(type, container, blob);
    }

    private static (string? Container, string? Blob)? FromUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }
        var parts = new BlobUriBuilder(uri);
        return string.IsNullOrEmpty(parts.BlobContainerName) || string.IsNullOrEmpty(parts.BlobName) ? null : (parts.BlobContainerName, parts.BlobName);
    }

    private static (string? Container, string? Blob)? FromSubject(string? subject)
    {
        var match = subject is null ? Match.Empty : SubjectPattern().Match(subject);
        return match.Success ? (match.Groups["container"].Value, match.Groups["blob"].Value) : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^/blobServices/default/containers/(?<container>[^/]+)/blobs/(?<blob>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPattern();
}
