using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SemanticSearch.Blobs;
using SemanticSearch.Functions.Functions;
using SemanticSearch.Functions.Hosting;
using SemanticSearch.Functions.Tests.Support;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// The worker exactly as <c>Program</c> builds it (ASP.NET Core integration, Application Insights, our services),
/// built but not started: starting needs the Functions host's gRPC endpoint, which only Core Tools or Azure provide.
/// </summary>
public sealed class ProgramCompositionTests
{
    [Fact]
    public void TheWorkerResolvesEveryFunctionClassAndCanExecuteTheirResults()
    {
        using var data = new TempDirectory();
        var builder = FunctionsApp.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Documents:Container"] = "documents",
            ["Reconcile:Schedule"] = "0 */15 * * * *",
            ["Data:Path"] = data.Path,
        });
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "StartupCheck");
        using var host = builder.Build();
        var services = host.Services;

        Assert.NotNull(ActivatorUtilities.CreateInstance<BlobIngestionFunctions>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<ReconcileFunction>(services));
        Assert.NotNull(ActivatorUtilities.CreateInstance<HttpApiFunctions>(services));
        Assert.NotNull(services.GetRequiredService<IActionResultExecutor<ObjectResult>>());
        Assert.Equal("documents", services.GetRequiredService<BlobIngestion>().Container.Name);
    }
}
