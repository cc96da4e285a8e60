using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SemanticSearch.Configuration;

/// <summary>
/// Checks the whole configuration at start-up — each section's ranges and every rule that spans settings — and names
/// the setting in every message ("Encoder:AzureOpenAI:Endpoint is required when Encoder:Provider is AzureOpenAI"),
/// so a misconfigured host fails fast with something a person can act on.
/// </summary>
public sealed class SemanticSearchOptionsValidator : IValidateOptions<SemanticSearchOptions>
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

        if (options.Encoder.Provider == EncoderProvider.AzureOpenAI)
        {
            Require(failures, options.Encoder.AzureOpenAI.Endpoint, "Encoder:AzureOpenAI:Endpoint", "Encoder:Provider is AzureOpenAI");
            Require(failures, options.Encoder.AzureOpenAI.Deployment, "Encoder:AzureOpenAI:Deployment", "Encoder:Provider is AzureOpenAI");
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

    private static void Cosmos(List<string> failures, string section, CosmosContainerOptions cosmos)
    {
        var condition = $"{section}:Provider is Cosmos";
        if (string.IsNullOrWhiteSpace(cosmos.ConnectionString) && cosmos.Endpoint is null)
        {
            failures.Add($"{section}:Cosmos:Endpoint (or {section}:Cosmos:ConnectionString for a local emulator) is required when {condition}.");
        }
        if (!string.IsNullOrWhiteSpace(cosmos.ConnectionString) && cosmos.Endpoint is not null)
        {
            failures.Add($"Set either {section}:Cosmos:Endpoint or {section}:Cosmos:ConnectionString, not both.");
        }
        Require(failures, cosmos.Database, $"{section}:Cosmos:Database", condition);
        Require(failures, cosmos.Container, $"{section}:Cosmos:Container", condition);
        if (cosmos.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            failures.Add($"{section}:Cosmos:TimeToLive must be positive when set; got {ttl}.");
        }
    }

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
