using System.Text.RegularExpressions;

namespace SemanticSearch.Http.Tests.Page;

/// <summary>
/// Checks of the page's files that need no browser (they run everywhere): small, no inline script or style for the
/// CSP to refuse, nothing from another origin, no HTML-parsing DOM APIs in the scripts.
/// </summary>
public sealed partial class PageAssetTests
{
    private static readonly string WebRoot = Path.Combine(RepositoryRoot.Find(), "functions", "SemanticSearch.Http", "wwwroot");

    private static IEnumerable<FileInfo> Files() => new DirectoryInfo(WebRoot).EnumerateFiles("*", SearchOption.AllDirectories);

    [Fact]
    public void EveryFileOfTheFolderIsEmbeddedAndServable()
    {
        Assert.Equal(Files().Select(f => f.Name).Order(StringComparer.Ordinal), PageAssets.Embedded.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ThePageIsUnder100KBInTotal()
    {
        var files = Files().ToList();
        Assert.Contains(files, f => f.Name == "index.html");
        var total = files.Sum(f => f.Length);
        Assert.True(total < 100 * 1024, $"wwwroot is {total} bytes: " + string.Join(", ", files.Select(f => $"{f.Name} {f.Length}")));
    }

    [Fact]
    public void TheHtmlHasNoInlineScriptStyleOrEventHandlers()
    {
        var html = File.ReadAllText(Path.Combine(WebRoot, "index.html"));
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(StyleAttributeOrElement(), html);
        Assert.DoesNotMatch(EventHandlerAttribute(), html);
        Assert.Contains("<meta name=\"api-base\" content=\"/api\">", html, StringComparison.Ordinal);
        // Relative to the page's own address, so the page works at / (local server) and at /api/page (Functions).
        Assert.DoesNotMatch(RootRelativeAsset(), html);
    }

    [Fact]
    public void NothingIsLoadedFromAnotherOrigin()
    {
        foreach (var file in Files().Where(f => f.Extension is ".html" or ".css" or ".js"))
        {
            var text = File.ReadAllText(file.FullName);
            Assert.DoesNotMatch(ExternalReference(), text);
        }
    }

    [Fact]
    public void TheScriptsNeverParseStringsAsHTML()
    {
        foreach (var file in Files().Where(f => f.Extension == ".js"))
        {
            var text = File.ReadAllText(file.FullName);
            Assert.DoesNotMatch(HtmlSinks(), text);
        }
    }

    [GeneratedRegex(@"(src|href)\s*=\s*[""']/", RegexOptions.IgnoreCase)]
    private static partial Regex RootRelativeAsset();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style\b|\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttributeOrElement();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    // src/href/url()/import from an absolute or protocol-relative URL (comments with links would match too: keep none).
    [GeneratedRegex(@"(src|href)\s*=\s*[""']?(https?:)?//|url\(\s*[""']?(https?:)?//|import[^;]*[""'](https?:)?//|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|DOMParser")]
    private static partial Regex HtmlSinks();
}
