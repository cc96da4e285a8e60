using SemanticSearch.Extraction;

namespace SemanticSearch.Ingestion;

/// <summary>
/// The error text of a failed document's status, defined in one place because two parts read it: users (it says why)
/// and reconciliation (it decides whether retrying the same bytes can help). A document's own fault reads
/// "{RejectionReason}: message" and is never worth retrying unchanged; anything else reads "Failed: message".
/// </summary>
public static class IngestionError
{
    private const string TransientPrefix = "Failed";

    public static string Rejected(DocumentRejectedException rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return $"{rejection.Reason}: {rejection.Message}";
    }

    public static string Transient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{TransientPrefix}: {exception.Message}";
    }

    /// <summary>Whether a recorded error is a rejection of the bytes (as opposed to a failure worth retrying).</summary>
    public static bool IsRejection(string? error)
    {
        var colon = error?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && Enum.TryParse<RejectionReason>(error!.AsSpan(0, colon), out var reason) && Enum.IsDefined(reason);
    }
}
