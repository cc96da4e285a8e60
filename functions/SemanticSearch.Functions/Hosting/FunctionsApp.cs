using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SemanticSearch.Functions.Hosting;

/// <summary>The worker's composition, apart from <c>Program</c> so that tests can build exactly what the worker builds.</summary>
public static class FunctionsApp
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();

        // In Azure the component accepts only Entra ID-authenticated telemetry (local auth off). No credential code is
        // needed here: ConfigureFunctionsApplicationInsights reads APPLICATIONINSIGHTS_AUTHENTICATION_STRING
        // ("ClientId=<identity>;Authorization=AAD") and calls TelemetryConfiguration.SetAzureTokenCredential with a
        // ManagedIdentityCredential for that client id (ProgramCompositionTests pins it).
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();
        // The Application Insights provider adds a rule that drops everything below Warning; host.json's levels should decide.
        builder.Services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r => r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (rule is not null)
            {
                options.Rules.Remove(rule);
            }
        });

        builder.Services.AddSemanticSearchFunctions(builder.Configuration);
        return builder;
    }
}
