using Microsoft.Extensions.Hosting;
using SemanticSearch.Functions.Hosting;

await FunctionsApp.CreateBuilder(args).Build().RunAsync().ConfigureAwait(false);
