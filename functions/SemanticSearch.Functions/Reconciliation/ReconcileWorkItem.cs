using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemanticSearch.Functions.Reconciliation;

/// <summary>
/// One message of the <c>reconcile-work</c> queue, as JSON: <c>{"kind":"ingest","blob":"a/b.md","reason":"…"}</c> and
/// <c>{"kind":"remove","blob":"a/b.md"}</c> are one blob's work; <c>{"kind":"scan","after":"…","continuation":"…"}</c>
/// is the checkpoint of an enumeration that ran out of time, which the queue function resumes.
/// </summary>
public sealed record ReconcileWorkItem(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("blob")] string? Blob = null,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("after")] string? After = null,
    [property: JsonPropertyName("continuation")] string? Continuation = null)
{
    public const string Scan = "scan";
    public const string Ingest = "ingest";
    public const string Remove = "remove";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static ReconcileWorkItem ForIngest(string blob, string reason) => new(Ingest, blob, reason);

    public static ReconcileWorkItem ForRemove(string blob) => new(Remove, blob);

    public static ReconcileWorkItem ForScan(string? after, string? continuation) => new(Scan, After: after, Continuation: continuation);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="FormatException">Not a reconcile work item; retrying cannot help (it ends in the poison queue).</exception>
    public static ReconcileWorkItem Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReconcileWorkItem? item;
        try
        {
            item = JsonSerializer.Deserialize<ReconcileWorkItem>(message, Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The message is not a reconcile work item: {ex.Message}", ex);
        }
        return item switch
        {
            { Kind: Scan } => item,
            { Kind: Ingest or Remove, Blob: { Length: > 0 } } => item,
            _ => throw new FormatException("The message is not a reconcile work item: it needs \"kind\" scan, or ingest/remove with \"blob\"."),
        };
    }
}
