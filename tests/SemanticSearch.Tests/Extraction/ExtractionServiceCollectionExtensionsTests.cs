using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;

namespace SemanticSearch.Tests.Extraction;

public class ExtractionServiceCollectionExtensionsTests
{
    [Fact]
    public async Task TheRegisteredExtractorHasEveryFormatAndUsesTheConfiguredLimits()
    {
        var services = new ServiceCollection()
            .AddDocumentExtraction()
            .Configure<IngestionOptions>(options => options.MaxDocumentBytes = 10);
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var extractor = provider.GetRequiredService<DocumentExtractor>();
        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(
            () => extractor.ExtractAsync("a.txt", new MemoryStream("eleven byte"u8.ToArray())));

        Assert.Same(extractor, provider.GetRequiredService<DocumentExtractor>());
        Assert.Equal([".docx", ".htm", ".html", ".json", ".markdown", ".md", ".pdf", ".text", ".txt"], extractor.SupportedExtensions);
        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
    }

    [Fact]
    public void RegisteringTwiceAddsEachFormatOnce()
    {
        var services = new ServiceCollection().AddDocumentExtraction().AddDocumentExtraction();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(6, provider.GetServices<ITextExtractor>().Count());
    }
}
