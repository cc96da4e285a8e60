using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SemanticSearch.Configuration;

/// <summary>
/// Checks the whole configuration at start-up — each section's ranges and every rule that spans settings — and names
/// the setting in every message ("Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI"),
/// so a misconfigured host fails fast with something a person can act on.
/// </summary>
public sealed partial class SemanticSearchOptionsValidator : IValidateOptions<SemanticSearchOptions>
{
    public ValidateOptionsResult Validate(string? name, SemanticSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        Annotations(failures, "Data", options.Data);
        Annotations(failures, "Encoder", options.Encoder);
        Annotations(failures, "Encoder:Onnx", options.Encoder.Onnx);
        Annotations(failures, "Encoder:AzureOpenAI", options.Encoder.AzureOpenAI);
        Annotations(failures, "Index:Embedded", options.Index.Embedded);
        Annotations(failures, "Chunking", options.Chunking);
        Annotations(failures, "Ingestion", options.Ingestion);
        Annotations(failures, "Documents", options.Documents);
        Annotations(failures, "Query", options.Query);
        if (options.Query.RetryAfter <= TimeSpan.Zero)
        {
            failures.Add($"Query:RetryAfter must be a positive duration such as 00:00:01; got {options.Query.RetryAfter}.");
        }

        if (options.Encoder.Provider == EncoderProvider.AzureOpenAI)
        {
            Require(failures, options.Encoder.AzureOpenAI.Endpoint, "Encoder:AzureOpenAI:Endpoint", "Encoder:Provider is AzureOpenAI");
            Require(failures, options.Encoder.AzureOpenAI.Deployment, "Encoder:AzureOpenAI:Deployment", "Encoder:Provider is AzureOpenAI");
            AzureOpenAIModel(failures, options.Encoder.AzureOpenAI);
        }
        if (options.EmbeddingCache.Provider == EmbeddingCacheProvider.Cosmos)
        {
            Cosmos(failures, "EmbeddingCache", options.EmbeddingCache.Cosmos);
        }
        if (options.ResultCache.Provider == ResultCacheProvider.Cosmos)
        {
            Cosmos(failures, "ResultCache", options.ResultCache.Cosmos);
        }
        if (options.DocumentStatus.Provider == DocumentStatusProvider.Cosmos)
        {
            Cosmos(failures, "DocumentStatus", options.DocumentStatus.Cosmos);
        }
        if (options.Index.Provider == IndexProvider.AzureAISearch)
        {
            Require(failures, options.Index.AzureAISearch.Endpoint, "Index:AzureAISearch:Endpoint", "Index:Provider is AzureAISearch");
            Require(failures, options.Index.AzureAISearch.IndexName, "Index:AzureAISearch:IndexName", "Index:Provider is AzureAISearch");
            if (!string.IsNullOrWhiteSpace(options.Index.AzureAISearch.IndexName) && !IndexNamePattern().IsMatch(options.Index.AzureAISearch.IndexName))
            {
                failures.Add($"Index:AzureAISearch:IndexName '{options.Index.AzureAISearch.IndexName}' is not a valid index name: 2-128 lower-case letters, digits and single dashes, starting with a letter or digit.");
            }
            Cosmos(failures, "Index:AzureAISearch:State", options.Index.AzureAISearch.State, "Index:Provider is AzureAISearch");
        }
        if (options.ResultCache.Ttl <= TimeSpan.Zero)
        {
            failures.Add($"ResultCache:Ttl must be a positive duration such as 00:05:00; got {options.ResultCache.Ttl}.");
        }
        if (options.Chunking.OverlapTokens >= options.Chunking.MaxTokens / 2)
        {
            failures.Add($"Chunking:OverlapTokens ({options.Chunking.OverlapTokens}) must be less than half of Chunking:MaxTokens ({options.Chunking.MaxTokens}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Cosmos(List<string> failures, string section, CosmosContainerOptions cosmos) =>
        Cosmos(failures, $"{section}:Cosmos", cosmos, $"{section}:Provider is Cosmos");

    private static void Cosmos(List<string> failures, string prefix, CosmosContainerOptions cosmos, string condition)
    {
        if (string.IsNullOrWhiteSpace(cosmos.ConnectionString) && cosmos.Endpoint is null)
        {
            failures.Add($"{prefix}:Endpoint (or {prefix}:ConnectionString for a local emulator) is required when {condition}.");
        }
        if (!string.IsNullOrWhiteSpace(cosmos.ConnectionString) && cosmos.Endpoint is not null)
        {
            failures.Add($"Set either {prefix}:Endpoint or {prefix}:ConnectionString, not both.");
        }
        if (!string.IsNullOrWhiteSpace(cosmos.ConnectionString) && !LooksLikeCosmosConnectionString(cosmos.ConnectionString))
        {
            failures.Add($"{prefix}:ConnectionString must look like AccountEndpoint=https://host:port/;AccountKey=<base64>;");
        }
        Require(failures, cosmos.Database, $"{prefix}:Database", condition);
        Require(failures, cosmos.Container, $"{prefix}:Container", condition);
        if (cosmos.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:TimeToLive must be positive when set; got {ttl}.");
        }
    }

    private static bool LooksLikeCosmosConnectionString(string value) =>
        value.Contains("AccountEndpoint=", StringComparison.OrdinalIgnoreCase) && value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The model decides which dimensions are possible: text-embedding-3 can shorten, ada-002 cannot, others must say.</summary>
    private static void AzureOpenAIModel(List<string> failures, AzureOpenAIEncoderOptions azure)
    {
        var model = !string.IsNullOrWhiteSpace(azure.Model) ? azure.Model : azure.Deployment;
        if (string.IsNullOrWhiteSpace(model))
        {
            return;
        }
        var source = !string.IsNullOrWhiteSpace(azure.Model) ? "Encoder:AzureOpenAI:Model" : "Encoder:AzureOpenAI:Deployment (used as the model name)";
        var known = EmbeddingModelCatalog.Find(model);
        if (known is null)
        {
            if (azure.Dimensions is null)
            {
                failures.Add(
                    $"Encoder:AzureOpenAI:Dimensions is required when {source} is '{model}', which is not one of " +
                    $"{string.Join(", ", EmbeddingModelCatalog.KnownModels)}; " +
                    "or set Encoder:AzureOpenAI:Model to the model the deployment runs.");
            }
            return;
        }
        if (azure.Dimensions is { } dimensions)
        {
            if (!known.SupportsDimensions && dimensions != known.NativeDimensions)
            {
                failures.Add($"Encoder:AzureOpenAI:Dimensions must be empty or {known.NativeDimensions} for {known.Name} ({source}), which cannot shorten its vectors; got {dimensions}.");
            }
            else if (dimensions > known.NativeDimensions)
            {
                failures.Add($"Encoder:AzureOpenAI:Dimensions ({dimensions}) exceeds the {known.NativeDimensions} dimensions of {known.Name} ({source}).");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,127}$")]
    private static partial System.Text.RegularExpressions.Regex IndexNamePattern();

    private static void Require(List<string> failures, object? value, string setting, string condition)
    {
        if (value is null || value is string text && string.IsNullOrWhiteSpace(text))
        {
            failures.Add($"{setting} is required when {condition}.");
        }
    }

    private static void Annotations(List<string> failures, string section, object value)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            return;
        }
        foreach (var result in results)
        {
            var members = string.Join(", ", result.MemberNames.Select(m => $"{section}:{m}"));
            failures.Add(members.Length == 0 ? result.ErrorMessage ?? section : $"{members}: {result.ErrorMessage}");
        }
    }
}
