using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Search.Documents;
using Azure.Search.Documents.Models;
using Microsoft.Extensions.Logging;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// Writes index actions in requests within the service's limits of count and size. Whole-request failures are the
/// SDK pipeline's to retry; a 207 answer names the documents that failed one by one, and those with 409, 422, 429 or
/// 503 are sent again after a growing delay while any other per-document failure (400: malformed document) fails the
/// call. (The documented per-document statuses are 409, 422 and 503; a 429 says "later" just as plainly, so it is
/// treated alike rather than failing a document for the service's load.)
/// </summary>
internal sealed partial class IndexBatchWriter(SearchClient client, string indexName, AzureAISearchIndexSettings settings, ILogger logger)
{
    private static readonly int[] RetriableItemStatuses = [409, 422, 429, 503];

    /// <summary>An upper bound of an action's JSON size, to keep every batch under the request size limit.</summary>
    internal static long EstimateBytes(IndexDocumentsAction<SearchChunkDocument> action)
    {
        var document = action.Document;
        long size = 96 + Text(document.Id);
        size += Field(document.DocumentId) + Field(document.Content);
        size += document.Ordinal is null ? 0 : 24;
        // The longest float32 in JSON ("-1.2345678E-05") is 14 characters, plus a separator.
        size += document.Vector is null ? 0 : 16 + 16L * document.Vector.Length;
        if (document.HasMetadata)
        {
            // Every metadata field is written, null or not: name, quotes and separators of each, then the values.
            size += 13 * 24;
            size += Field(document.Title) + Field(document.Source) + Field(document.Url) + Field(document.ContentType)
                + Field(document.Type) + Field(document.MetadataHash);
            size += List(document.Headings) + List(document.Tags) + List(document.Folders) + List(document.Acl);
            // A page number, an ISO 8601 time with offset, a boolean.
            size += 12 + 40 + 6;
        }
        return size;

        static long Text(string value) => JsonEncodedText.Encode(value, JavaScriptEncoder.Default).EncodedUtf8Bytes.Length;

        static long Field(string? value) => value is null ? 0 : 20 + Text(value);

        static long List(IReadOnlyList<string>? values) => values is null ? 0 : values.Sum(v => 3 + Text(v));
    }

    /// <summary>Splits actions into requests within the service's limits of count and size.</summary>
    internal static IEnumerable<List<IndexDocumentsAction<SearchChunkDocument>>> Batch(IReadOnlyList<IndexDocumentsAction<SearchChunkDocument>> actions, AzureAISearchIndexSettings settings)
    {
        var batch = new List<IndexDocumentsAction<SearchChunkDocument>>();
        long bytes = 0;
        foreach (var action in actions)
        {
            var size = EstimateBytes(action);
            if (batch.Count > 0 && (batch.Count >= settings.MaxActionsPerBatch || bytes + size > settings.MaxBytesPerBatch))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(action);
            bytes += size;
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <param name="written">Receives the key of every action the service confirmed, also when the call fails later.</param>
    public async Task WriteAsync(IReadOnlyList<IndexDocumentsAction<SearchChunkDocument>> actions, CancellationToken cancellationToken, ICollection<string>? written = null)
    {
        foreach (var batch in Batch(actions, settings))
        {
            await WriteBatchAsync(batch, written, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteBatchAsync(List<IndexDocumentsAction<SearchChunkDocument>> batch, ICollection<string>? written, CancellationToken cancellationToken)
    {
        var pending = batch;
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.IndexDocumentsAsync(
                IndexDocumentsBatch.Create([.. pending]), new IndexDocumentsOptions { ThrowOnAnyError = false }, cancellationToken).ConfigureAwait(false);
            foreach (var result in response.Value.Results.Where(r => r.Succeeded))
            {
                written?.Add(result.Key);
            }
            var failed = response.Value.Results.Where(r => !r.Succeeded).ToList();
            if (failed.Count == 0)
            {
                return;
            }
            var fatal = failed.Where(r => !RetriableItemStatuses.Contains(r.Status)).ToList();
            if (fatal.Count > 0 || attempt >= settings.MaxItemRetries)
            {
                var reported = fatal.Count > 0 ? fatal : failed;
                throw new AzureAISearchIndexingException(
                    $"Azure AI Search index {indexName} rejected {reported.Count} of {pending.Count} documents" +
                    (fatal.Count > 0 ? "" : $" after {attempt + 1} attempts") + ": " +
                    string.Join("; ", reported.Take(5).Select(r => $"{r.Key}: {r.Status} {r.ErrorMessage}")),
                    reported.Select(r => (r.Key, r.Status, (string?)r.ErrorMessage)).ToList());
            }
            var retry = failed.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            pending = [.. pending.Where(a => retry.Contains(a.Document.Id))];
            var delay = settings.ItemRetryDelay * Math.Pow(2, attempt);
            LogItemRetry(logger, indexName, pending.Count, failed[0].Status, delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure AI Search index {IndexName}: retrying {Count} documents that failed with {Status}, in {DelayMs} ms")]
    private static partial void LogItemRetry(ILogger logger, string indexName, int count, int status, double delayMs);
}
