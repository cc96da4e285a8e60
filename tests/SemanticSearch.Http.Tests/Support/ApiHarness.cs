using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Http.Tests.Support;

/// <summary>
/// The HTTP API mapped on ASP.NET Core's in-memory test server over the product's own composition (embedded backends
/// in a temporary data folder), with a fast deterministic embedding generator instead of the model: these tests are
/// about what the API sends and accepts, not about ranking.
/// </summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly WebApplication _app;

    private ApiHarness(WebApplication app, TempDirectory data)
    {
        _app = app;
        _data = data;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, IEmbeddingGenerator<string, Embedding<float>>? generator = null)
    {
        var data = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Data:Path"] = data.Path });
        builder.Services.AddSemanticSearch(builder.Configuration).AddSemanticSearchHttpApi();
        builder.Services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            SemanticSearchServiceKeys.UncachedEmbeddingGenerator, generator ?? new HashingEmbeddingGenerator());
        var app = builder.Build();
        app.MapSemanticSearchApi();
        app.MapSearchPage();
        await app.StartAsync();
        await app.Services.InitializeSemanticSearchAsync(CancellationToken.None);
        return new ApiHarness(app, data);
    }

    /// <summary>Ingests a document through the product's ingestor, as a sync would.</summary>
    public async Task<IngestionResult> IngestAsync(string documentId, string text)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await Services.GetRequiredService<DocumentIngestor>().IngestAsync(documentId, content, CancellationToken.None);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string url)
    {
        var response = await Client.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
