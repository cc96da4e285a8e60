using Azure.AI.OpenAI;
using OpenAI.Embeddings;

namespace SemanticSearch.AzureBackends.Tests.AzureOpenAI;

/// <summary>
/// Azure.AI.OpenAI subclasses the OpenAI library's clients and calls into their internals, so it runs only with the
/// OpenAI version it was built against: Azure.AI.OpenAI 2.1.0 with OpenAI 2.7 or later fails at run time with
/// MissingMethodException (Azure/azure-sdk-for-net#53986). The pair must be the one the Azure package names.
/// </summary>
public sealed class OpenAIPackagePairingTests
{
    [Fact]
    public void TheOpenAILibraryLoadedIsTheOneAzureAIOpenAIWasBuiltAgainst()
    {
        var builtAgainst = typeof(AzureOpenAIClient).Assembly.GetReferencedAssemblies().Single(a => a.Name == "OpenAI").Version;
        var loaded = typeof(EmbeddingClient).Assembly.GetName().Version;

        Assert.Equal(builtAgainst, loaded);
    }
}
