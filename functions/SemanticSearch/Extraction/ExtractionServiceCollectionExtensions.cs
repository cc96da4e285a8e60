using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SemanticSearch.Configuration;

namespace SemanticSearch.Extraction;

public static class ExtractionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DocumentExtractor"/> with every built-in format. <see cref="IngestionOptions"/> is bound by
    /// the host; an <see cref="ITextExtractor"/> registered after this call takes over the extensions it claims.
    /// </summary>
    public static IServiceCollection AddDocumentExtraction(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<IngestionOptions>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<ITextExtractor, PlainTextExtractor>(),
            ServiceDescriptor.Singleton<ITextExtractor, MarkdownExtractor>(),
            ServiceDescriptor.Singleton<ITextExtractor, HtmlExtractor>(),
            ServiceDescriptor.Singleton<ITextExtractor, PdfExtractor>(),
            ServiceDescriptor.Singleton<ITextExtractor, DocxExtractor>(),
            ServiceDescriptor.Singleton<ITextExtractor, JsonExtractor>(),
        ]);
        services.TryAddSingleton<DocumentExtractor>();
        return services;
    }
}
