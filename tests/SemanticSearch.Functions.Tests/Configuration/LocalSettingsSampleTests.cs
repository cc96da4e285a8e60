using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Functions.Hosting;

namespace SemanticSearch.Functions.Tests.Configuration;

/// <summary>
/// local.settings.sample.json (repository root) must list every setting the app reads, each with a value that works
/// locally, in the shape Functions Core Tools accepts; copied to local.settings.json it is the whole local setup.
/// </summary>
public sealed partial class LocalSettingsSampleTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json");

    [Fact]
    public void HasTheShapeCoreToolsAccepts()
    {
        // Default options: comments and trailing commas are errors, as they are for strict JSON readers.
        using var document = JsonDocument.Parse(File.ReadAllText(SamplePath));
        var root = document.RootElement;

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.False(root.GetProperty("IsEncrypted").GetBoolean());
        var values = root.GetProperty("Values");
        Assert.All(values.EnumerateObject(), v => Assert.Equal(JsonValueKind.String, v.Value.ValueKind));
        Assert.All(root.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "IsEncrypted", "Values", "Host", "ConnectionStrings" }));
        Assert.Equal(7071, root.GetProperty("Host").GetProperty("LocalHttpPort").GetInt32());
        // Linux app settings allow letters, digits, '_' and '.': the '__' form, never ':'.
        Assert.All(values.EnumerateObject(), v => Assert.Matches("^[A-Za-z0-9_.]+$", v.Name));
    }

    [Fact]
    public void RunsTheIsolatedWorkerAgainstAzuriteWithThePollingTrigger()
    {
        var values = Values();

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("false", values["AzureWebJobs.IngestBlob.Disabled"]);
        Assert.Equal("true", values["AzureWebJobs.IngestBlobEventGrid.Disabled"]);
    }

    [Fact]
    public void ListsEveryOptionOfTheSharedOptionsModel()
    {
        var settings = Values().Keys.Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var options = OptionSettings(typeof(SemanticSearchOptions), prefix: null).ToList();

        Assert.True(options.Count > 30, "the reflection should find every option");
        var missing = options.Where(o => !settings.Contains(o)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void ListsEverySettingTheFunctionsHostResolves()
    {
        var settings = Values().Keys.Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var host = HostSettings().ToList();

        Assert.Contains("Documents:Container", host);
        Assert.Contains("Reconcile:Schedule", host);
        Assert.Contains("AzureWebJobsStorage", host);
        var missing = host.Where(h => !settings.Contains(h)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void HasNoSettingThatNothingReads()
    {
        var known = OptionSettings(typeof(SemanticSearchOptions), prefix: null).Concat(HostSettings()).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unknown = Values().Keys.Select(Normalize).Where(k => !known.Contains(k)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void ItsValuesBindAndPassTheStartUpValidation()
    {
        // Core Tools hands Values to the host and the worker as environment variables, where '__' means ':'.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Values().ToDictionary(v => Normalize(v.Key), v => (string?)v.Value))
            .Build();
        using var services = new ServiceCollection().AddLogging().AddSemanticSearch(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;

        Assert.Empty(FunctionsSettings.Validate(configuration));
        Assert.Empty(FunctionsSettings.Warnings(configuration));
        Assert.Equal("documents", options.Documents.Container);
        Assert.Equal(EncoderProvider.Onnx, options.Encoder.Provider);
        Assert.Equal(IndexProvider.Embedded, options.Index.Provider);
        Assert.Null(options.Encoder.AzureOpenAI.Endpoint);
        Assert.Null(options.Encoder.AzureOpenAI.Dimensions);
        Assert.Null(options.ResultCache.Cosmos.TimeToLive);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ResultCache.Ttl);
        Assert.Equal(new SemanticSearchOptions().Ingestion.MaxDocumentBytes, options.Ingestion.MaxDocumentBytes);
        // What the host substitutes for %Documents:Container% and %Reconcile:Schedule%.
        Assert.Equal("documents", configuration["Documents:Container"]);
        Assert.Equal("0 */15 * * * *", configuration["Reconcile:Schedule"]);
    }

    /// <summary>Every settable leaf of the options model as "Section:Key" (recursively; nested option classes are sections).</summary>
    internal static IEnumerable<string> OptionSettings(Type type, string? prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var name = prefix is null ? property.Name : $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri))
            {
                foreach (var nested in OptionSettings(propertyType, name))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    /// <summary>
    /// What the Functions host reads besides the options: every %setting% and connection in the build's
    /// functions.metadata, the worker runtime, and the switch of each blob trigger flavour.
    /// </summary>
    private static List<string> HostSettings()
    {
        var metadata = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions-app", "functions.metadata"));
        using var document = JsonDocument.Parse(metadata);
        var bindings = document.RootElement.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray()).ToList();
        var expressions = bindings.SelectMany(b => b.EnumerateObject())
            .Where(p => p.Value.ValueKind == JsonValueKind.String)
            .SelectMany(p => AppSettingExpression().Matches(p.Value.GetString()!).Select(m => m.Groups[1].Value));
        var connections = bindings.Where(b => b.TryGetProperty("connection", out _)).Select(b => b.GetProperty("connection").GetString()!);
        return [.. expressions.Concat(connections)
            .Concat(["FUNCTIONS_WORKER_RUNTIME", $"AzureWebJobs.{FunctionNames.IngestBlob}.Disabled", $"AzureWebJobs.{FunctionNames.IngestBlobEventGrid}.Disabled"])
            .Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static Dictionary<string, string> Values()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SamplePath));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private static string Normalize(string key) => key.Replace("__", ":", StringComparison.Ordinal);

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex AppSettingExpression();
}
