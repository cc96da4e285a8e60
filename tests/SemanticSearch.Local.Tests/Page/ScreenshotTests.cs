using PuppeteerSharp;

namespace SemanticSearch.Local.Tests.Page;

/// <summary>
/// The README's picture of the page: a realistic query with highlighted results, the documents panel (with its failed
/// document) and the health line, at desktop width. Always written to screenshots/ in the test output; written to
/// docs/search-page.png in the checkout when UPDATE_PAGE_SCREENSHOT=1, so an ordinary test run never changes a tracked
/// file (the picture shows timings, which differ run to run).
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ScreenshotTests(PageFixture fixture)
{
    public const string DocsFile = "docs/search-page.png";

    [BrowserFact]
    public async Task DesktopScreenshotWithHighlightedResults()
    {
        await using var session = await fixture.OpenAsync(width: 1280, height: 900);
        // A query no other test sends, so the picture shows a first search (a cache miss) whatever ran before.
        await session.GoAsync("/?q=how+do+bees+find+flowers&mode=hybrid&top=5");
        await session.WaitForSearchAsync("how do bees find flowers");
        await session.WaitForDocumentsAsync();
        await session.Page.WaitForFunctionAsync("() => document.getElementById('health').dataset.state === 'healthy'");
        Assert.True(await session.EvalAsync<int>("() => document.querySelectorAll('#results .hit-snippet em').length") > 0, "no highlights to show");
        // No caret or focus ring in the picture.
        await session.Page.EvaluateFunctionAsync("() => document.activeElement?.blur()");

        var files = new List<string> { Path.Combine(AppContext.BaseDirectory, "screenshots", "search-page.png") };
        if (Environment.GetEnvironmentVariable("UPDATE_PAGE_SCREENSHOT") is "1" or "true")
        {
            files.Add(RepositoryRoot.File(DocsFile));
        }
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await session.Page.ScreenshotAsync(file, new ScreenshotOptions { FullPage = false, Type = ScreenshotType.Png });
            Assert.True(new FileInfo(file).Length > 20_000, $"{file} looks empty");
        }
        await session.AssertCleanAsync();
    }
}
