using PuppeteerSharp;

namespace SemanticSearch.Local.Tests.Page;

/// <summary>
/// The search page in a real, headless Chromium against the real local server (Kestrel on loopback, ONNX encoder,
/// embedded index over <see cref="PageCorpus"/>): what a user does (type and press Enter, follow a link, filter, use
/// only the keyboard, page the document list) and what must never happen (markup from a document running, console
/// errors or CSP violations, sideways scrolling on a phone).
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SearchPageTests(PageFixture fixture)
{
    [BrowserFact]
    public async Task TypingAQueryAndPressingEnterShowsHighlightedResultsTheCacheAndTheTime()
    {
        await using var session = await fixture.OpenAsync();
        var response = await session.GoAsync("/");
        Assert.Equal(SemanticSearch.Http.PageAssets.ContentSecurityPolicy, response.Headers["content-security-policy"]);

        await session.Page.TypeAsync("#q", "how do honeybees navigate home");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.WaitForSearchAsync("how do honeybees navigate home");

        var titles = await session.TextsAsync("#results .hit-title");
        Assert.Equal(5, titles.Length);
        Assert.Equal(PageCorpus.BeesTitle, titles[0]);
        var first = await session.TextAsync("#results .hit");
        Assert.Contains("bees.md", first, StringComparison.Ordinal);
        Assert.Contains("Navigation", await session.TextAsync("#results .hit .hit-path"), StringComparison.Ordinal);
        Assert.Matches(@"\d\.\d+$", await session.TextAsync("#results .hit .hit-score"));

        // The API's escaped highlights become real <em> elements around the matched words, and nothing else.
        var marked = await session.EvalAsync<string[]>("() => [...document.querySelectorAll('#results .hit:first-child .hit-snippet em')].map(e => e.textContent.toLowerCase())");
        Assert.Contains("honeybees", marked);
        Assert.Empty(await session.EvalAsync<string[]>("() => [...document.querySelectorAll('#results .hit-snippet *')].map(e => e.tagName).filter(t => t !== 'EM' && t !== 'SPAN')"));

        // The address bar names the search, so the link can be shared; cache and time are shown.
        var url = new Uri(session.Page.Url);
        Assert.Equal("?q=how+do+honeybees+navigate+home&mode=hybrid&top=5", url.Query);
        Assert.Equal("Cache miss", await session.TextAsync("#cache"));
        Assert.Matches(@"^in \d+(\.\d+)? (ms|s)$", await session.TextAsync("#duration"));

        // The same search again comes from the result cache, and the page says so.
        await session.Page.FocusAsync("#q");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.WaitForFunctionAsync("() => document.getElementById('cache').textContent === 'Cache hit' && document.getElementById('results').getAttribute('aria-busy') === 'false'");
        Assert.Equal(2, session.Searches.Count);
        Assert.All(session.Searches, u => Assert.Equal("?q=how+do+honeybees+navigate+home&mode=hybrid&top=5", u.Query));
        await session.AssertCleanAsync();
    }

    [BrowserFact]
    public async Task ALinkWithQAndModeRunsThatSearchOnLoad()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/?q=waggle+dance&mode=keyword&top=3");
        await session.WaitForSearchAsync("waggle dance");

        Assert.Equal("waggle dance", await session.EvalAsync<string>("() => document.getElementById('q').value"));
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('mode-keyword').checked"));
        Assert.Equal("3", await session.EvalAsync<string>("() => document.getElementById('top').value"));
        Assert.Contains("(keyword)", await session.TextAsync("#summary"), StringComparison.Ordinal);
        Assert.Contains("waggle.txt", await session.TextAsync("#results .hit"), StringComparison.Ordinal);
        Assert.InRange((await session.TextsAsync("#results .hit")).Length, 1, 3);
        var marked = await session.EvalAsync<string[]>("() => [...document.querySelectorAll('#results .hit:first-child .hit-snippet em')].map(e => e.textContent.toLowerCase())");
        Assert.Contains("waggle", marked);

        var request = Assert.Single(session.Searches);
        Assert.Contains("mode=keyword", request.Query, StringComparison.Ordinal);
        Assert.Contains("top=3", request.Query, StringComparison.Ordinal);
        await session.AssertCleanAsync();
    }

    [BrowserFact]
    public async Task BackAndForwardReplayEarlierSearches()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/");
        await session.SearchAsync("sourdough");
        await session.SearchAsync("volcanic ash");
        Assert.Contains("volcanic+ash", new Uri(session.Page.Url).Query, StringComparison.Ordinal);

        await session.Page.GoBackAsync();
        await session.WaitForSearchAsync("sourdough");
        Assert.Equal("sourdough", await session.EvalAsync<string>("() => document.getElementById('q').value"));
        // Two documents say "sourdough" (bread.txt and a meeting note); which ranks first is the ranking's business.
        Assert.Contains("bread.txt", await session.TextAsync("#results"), StringComparison.Ordinal);

        await session.Page.GoForwardAsync();
        await session.WaitForSearchAsync("volcanic ash");
        Assert.Contains("volcan", (await session.TextAsync("#results .hit-title")).ToLowerInvariant(), StringComparison.Ordinal);
        await session.AssertCleanAsync();
    }

    [BrowserFact]
    public async Task NextAndPreviousPageThroughTheResults()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/?q=bees&mode=keyword&top=2");
        await session.WaitForSearchAsync("bees");
        Assert.False(await session.EvalAsync<bool>("() => document.getElementById('pager').hidden"));
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('prev-page').disabled"));
        var firstPage = await SourcesAsync(session);
        Assert.Equal(2, firstPage.Length);

        await session.Page.ClickAsync("#next-page");
        await session.Page.WaitForFunctionAsync("() => location.search.includes('skip=2') && document.getElementById('results').getAttribute('aria-busy') === 'false' && document.querySelector('#results .hit-rank')?.textContent === '3'");
        Assert.StartsWith("Results 3–", await session.TextAsync("#summary"), StringComparison.Ordinal);
        Assert.Empty(firstPage.Intersect(await SourcesAsync(session)));
        Assert.Contains(session.Searches, u => u.Query.Contains("skip=2", StringComparison.Ordinal));

        await session.Page.ClickAsync("#prev-page");
        await session.Page.WaitForFunctionAsync("() => !location.search.includes('skip=') && document.getElementById('results').getAttribute('aria-busy') === 'false' && document.querySelector('#results .hit-rank')?.textContent === '1'");
        Assert.Equal(firstPage, await SourcesAsync(session));
        await session.AssertCleanAsync();
    }

    [BrowserTheory]
    [InlineData("keyword")] // the snippet is built from the API's escaped highlights
    [InlineData("vector")]  // no highlights: the snippet is the chunk's content, as text
    public async Task MarkupInADocumentIsShownAsTextAndNeverRuns(string mode)
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync($"/?q=hostile+markup&mode={mode}&top=10");
        await session.WaitForSearchAsync("hostile markup");
        var scripts = await session.EvalAsync<int>("() => document.scripts.length");

        var hits = await session.TextsAsync("#results .hit");
        var hostile = Assert.Single(hits, h => h.Contains("hostile.txt", StringComparison.Ordinal));
        var titled = Assert.Single(hits, h => h.Contains("hostile-title.md", StringComparison.Ordinal));
        // The markup is on screen, literally, as the document has it.
        Assert.Contains(PageCorpus.ScriptMarkup, hostile, StringComparison.Ordinal);
        Assert.Contains(PageCorpus.ImgMarkup, hostile, StringComparison.Ordinal);
        Assert.Contains(PageCorpus.EntityText, hostile, StringComparison.Ordinal);
        Assert.Contains(PageCorpus.HostileTitle, titled, StringComparison.Ordinal);

        // None of it became an element: no script, img or iframe anywhere, no on* attribute, only <em> marks.
        Assert.Equal(0, await session.EvalAsync<int>("() => document.querySelectorAll('img, iframe, object, embed, #results script').length"));
        Assert.Equal(scripts, await session.EvalAsync<int>("() => document.scripts.length"));
        Assert.Equal(0, await session.EvalAsync<int>("() => [...document.querySelectorAll('body *')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"));
        Assert.Empty(await session.EvalAsync<string[]>("() => [...document.querySelectorAll('#results .hit-snippet *')].map(e => e.tagName).filter(t => t !== 'EM' && t !== 'SPAN')"));
        if (mode == "keyword")
        {
            Assert.Contains("hostile", await session.EvalAsync<string[]>("() => [...document.querySelectorAll('#results .hit-snippet em')].map(e => e.textContent.toLowerCase())"));
        }

        // Had anything run, it would have set the global, opened a dialog or logged an error. An onerror handler fires
        // only after its image failed to load: wait for the network to go idle before looking.
        await session.Page.WaitForNetworkIdleAsync(new WaitForNetworkIdleOptions { IdleTime = 250, Timeout = 10_000 });
        Assert.True(await session.EvalAsync<bool>($"() => window.{PageCorpus.Marker} === undefined"), "markup from a document ran");
        Assert.Empty(session.Dialogs);
        await session.AssertCleanAsync();
    }

    [BrowserFact]
    public async Task TagFolderAndTypeFiltersNarrowTheResults()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/?q=bees+and+insects&mode=hybrid&top=10");
        await session.WaitForSearchAsync("bees and insects");
        var all = await SourcesAsync(session);
        Assert.Contains("bees.md", all);
        Assert.Contains("handbook/beekeeping.md", all);
        Assert.Contains("waggle.txt", all);

        // Tag: typed into the filter panel, Enter searches.
        await session.Page.ClickAsync("#filters summary");
        await session.Page.TypeAsync("#tags", "guide");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.WaitForFunctionAsync("() => location.search.includes('tag=guide') && document.getElementById('results').getAttribute('aria-busy') === 'false'");
        var tagged = await SourcesAsync(session);
        Assert.NotEmpty(tagged);
        Assert.All(tagged, s => Assert.StartsWith("handbook/", s, StringComparison.Ordinal));
        Assert.Equal("1", await session.TextAsync("#filter-count"));

        // Type, from a link: only text files.
        await session.GoAsync("/?q=bees+and+insects&mode=hybrid&top=10&type=txt");
        await session.WaitForSearchAsync("bees and insects");
        var texts = await SourcesAsync(session);
        Assert.Contains("waggle.txt", texts);
        Assert.All(texts, s => Assert.EndsWith(".txt", s, StringComparison.Ordinal));
        Assert.Equal("txt", await session.EvalAsync<string>("() => document.getElementById('type').value"));
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('filters').open"));

        // Folder, chosen in the form: only the handbook; Clear filters brings everything back.
        await session.Page.SelectAsync("#type", "");
        await session.Page.TypeAsync("#folder", "handbook/");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.WaitForFunctionAsync("() => location.search.includes('folder=handbook') && !location.search.includes('type=') && document.getElementById('results').getAttribute('aria-busy') === 'false'");
        var inFolder = await SourcesAsync(session);
        Assert.Contains("handbook/beekeeping.md", inFolder);
        Assert.All(inFolder, s => Assert.StartsWith("handbook/", s, StringComparison.Ordinal));

        await session.Page.ClickAsync("#clear-filters");
        await session.Page.WaitForFunctionAsync("() => !location.search.includes('folder=') && document.getElementById('results').getAttribute('aria-busy') === 'false' && document.querySelectorAll('#results .hit').length > 3");
        Assert.Equal(all, await SourcesAsync(session));

        Assert.Contains(session.Searches, u => u.Query.Contains("tag=guide", StringComparison.Ordinal));
        Assert.Contains(session.Searches, u => u.Query.Contains("type=txt", StringComparison.Ordinal));
        Assert.Contains(session.Searches, u => u.Query.Contains("folder=handbook", StringComparison.Ordinal));
        await session.AssertCleanAsync();
    }

    [BrowserFact]
    public async Task NoPageLoadLogsAConsoleErrorOrViolatesTheContentSecurityPolicy()
    {
        var loads = new (string Path, string? Query)[]
        {
            ("/", null),
            ("/?q=bees&mode=hybrid", "bees"),
            ("/?q=bees&mode=keyword&tag=insects&folder=handbook/&type=md", "bees"),
            ("/?q=volcanic&mode=vector&top=2", "volcanic"),
        };
        foreach (var (path, query) in loads)
        {
            await using var session = await fixture.OpenAsync();
            await session.GoAsync(path);
            await session.WaitForDocumentsAsync();
            await session.Page.WaitForFunctionAsync("() => document.getElementById('health').dataset.state === 'healthy'");
            if (query is not null)
            {
                await session.WaitForSearchAsync(query);
                Assert.True(await session.EvalAsync<bool>("() => document.getElementById('error').hidden"), await session.TextAsync("#error"));
                Assert.NotEqual(0, await session.EvalAsync<int>("() => document.querySelectorAll('#results .hit').length"));
            }
            await session.Page.WaitForNetworkIdleAsync(new WaitForNetworkIdleOptions { IdleTime = 250, Timeout = 10_000 });
            await session.AssertCleanAsync();

            // What the browser fetched for the page itself (not the API's answers) stays under 100 kB.
            var pageBytes = await session.EvalAsync<int>(
                "() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource').filter(r => !new URL(r.name).pathname.startsWith('/api/'))].reduce((n, e) => n + e.decodedBodySize, 0)");
            Assert.InRange(pageBytes, 10_000, 100 * 1024);
        }
    }

    [BrowserFact]
    public async Task AnInvalidRequestShowsTheServersReasonAndAFixedOneClearsIt()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/?q=bees&mode=hybrid&top=99");
        await session.Page.WaitForSelectorAsync("#error:not([hidden])");
        var error = await session.TextAsync("#error");
        Assert.Contains("top", error, StringComparison.Ordinal);
        Assert.Equal(0, await session.EvalAsync<int>("() => document.getElementById('results').childElementCount"));
        Assert.Equal("The search did not complete.", await session.TextAsync("#summary"));

        await session.Page.EvaluateFunctionAsync("() => { document.getElementById('top').value = '5'; }");
        await session.Page.FocusAsync("#q");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.WaitForSearchAsync("bees");
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('error').hidden"));
        Assert.NotEqual(0, await session.EvalAsync<int>("() => document.querySelectorAll('#results .hit').length"));
        await session.AssertCleanAsync("status of 400");
    }

    [BrowserFact]
    public async Task TheCspWatchCatchesAViolation()
    {
        // Guards the clean-page checks: an inline style, which the page's CSP refuses, must be reported.
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/");
        await session.Page.EvaluateFunctionAsync("() => document.body.setAttribute('style', 'color: red')");
        await session.Page.WaitForFunctionAsync("() => window.__cspViolations.length > 0");
        await Assert.ThrowsAnyAsync<Exception>(() => session.AssertCleanAsync());
    }

    [BrowserFact]
    public async Task AtPhoneWidthNothingScrollsSideways()
    {
        await using var session = await fixture.OpenAsync(width: 390, height: 844);
        await session.GoAsync("/?q=hostile+markup&mode=keyword&top=10");
        await session.WaitForSearchAsync("hostile markup");
        await session.Page.ClickAsync("#filters summary");
        await session.WaitForDocumentsAsync();
        await session.SnapshotAsync("phone-390px");
        await AssertNothingWiderThanTheViewportAsync(session);

        // A file name and a URL with nowhere to break a line, in the results and in the documents panel.
        await session.SearchAsync("community garden budget");
        Assert.Contains(PageCorpus.LongName, await session.TextAsync("#results .hit"), StringComparison.Ordinal);
        Assert.Contains(PageCorpus.LongName, await session.TextAsync("#docs"), StringComparison.Ordinal);
        await session.SnapshotAsync("phone-390px-long-names");
        await AssertNothingWiderThanTheViewportAsync(session);
        await session.AssertCleanAsync();
    }

    private static async Task AssertNothingWiderThanTheViewportAsync(PageSession session)
    {
        var widths = await session.EvalAsync<int[]>("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[2] && widths[1] <= widths[2], $"scrollWidth {widths[0]}/{widths[1]} > innerWidth {widths[2]}");
        var wide = await session.EvalAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.visually-hidden')).map(e => e.tagName + '.' + e.className)");
        Assert.True(wide.Length == 0, "Wider than the viewport: " + string.Join(", ", wide));
    }

    [BrowserFact]
    public async Task TheKeyboardAloneReachesTheBoxAndTheControlsAndSearches()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/");
        await session.WaitForDocumentsAsync();

        // Tab order from the top of the page: the box first, then the button and every control of the form.
        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await session.Page.Keyboard.PressAsync("Tab");
            order.Add(await session.EvalAsync<string>("() => { const e = document.activeElement; return e.id || e.tagName.toLowerCase(); }"));
        }
        Assert.Equal(["q", "submit", "mode-hybrid", "top", "summary"], order.Take(5).Select(id => id == "button" ? "submit" : id));
        Assert.Equal("docs-refresh", order[5]);

        // Every focused control shows where the focus is.
        await session.Page.FocusAsync("#q");
        Assert.NotEqual("none", await session.EvalAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        Assert.Equal("Search the documents", await session.EvalAsync<string>("() => document.activeElement.labels[0].textContent"));

        await session.Page.Keyboard.TypeAsync("fermentation");
        await session.Page.Keyboard.PressAsync("Enter");
        await session.WaitForSearchAsync("fermentation");
        Assert.Contains("bread.txt", await session.TextAsync("#results .hit"), StringComparison.Ordinal);

        // Tab to the mode switch; an arrow key picks the next mode and runs the search again.
        await session.Page.Keyboard.PressAsync("Tab");
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("mode-hybrid", await session.EvalAsync<string>("() => document.activeElement.id"));
        await session.Page.Keyboard.PressAsync("ArrowRight");
        await session.Page.WaitForFunctionAsync("() => location.search.includes('mode=keyword') && document.getElementById('results').getAttribute('aria-busy') === 'false'");
        Assert.Contains("(keyword)", await session.TextAsync("#summary"), StringComparison.Ordinal);

        // The filters open from the keyboard, and "/" brings the focus back to the box.
        await session.Page.Keyboard.PressAsync("Tab");
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("SUMMARY", await session.EvalAsync<string>("() => document.activeElement.tagName"));
        await session.Page.Keyboard.PressAsync("Enter");
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('filters').open"));
        await session.Page.Keyboard.PressAsync("/");
        Assert.Equal("q", await session.EvalAsync<string>("() => document.activeElement.id"));
        await session.AssertCleanAsync();
    }

    [BrowserFact]
    public async Task TheDocumentsPanelListsStatusesAndReasonsAndPages()
    {
        await using var session = await fixture.OpenAsync();
        await session.GoAsync("/");
        await session.WaitForDocumentsAsync();

        var first = await session.TextsAsync("#docs > li");
        // Pages are compared by name: the entries also say "8 seconds ago", which moves on while the test runs.
        var firstNames = await session.TextsAsync("#docs > li .doc-name");
        Assert.Equal(10, first.Length);
        Assert.Contains("10 documents on this page (1 failed)", await session.TextAsync("#docs-summary"), StringComparison.Ordinal);
        var failed = Assert.Single(first, d => d.Contains(PageCorpus.FailedDocument, StringComparison.Ordinal));
        Assert.Contains("FAILED", failed.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Contains("Corrupt: The PDF", failed, StringComparison.Ordinal);
        var bees = Assert.Single(first, d => d.StartsWith("bees.md", StringComparison.Ordinal));
        Assert.Contains("INDEXED", bees.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Matches(@"\d+ chunks?", bees);
        Assert.Matches(@"\d+ embedded, \d+ from cache", bees);
        Assert.Equal(1, await session.EvalAsync<int>("() => document.querySelectorAll('#docs .status-failed').length"));
        Assert.Equal(9, await session.EvalAsync<int>("() => document.querySelectorAll('#docs .status-indexed').length"));
        Assert.Equal(10, await session.EvalAsync<int>("() => document.querySelectorAll('#docs time[datetime]').length"));
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('docs-prev').disabled"));
        Assert.False(await session.EvalAsync<bool>("() => document.getElementById('docs-next').disabled"));

        await session.Page.ClickAsync("#docs-next");
        await session.WaitForDocumentsAsync(page: 2);
        var second = await session.TextsAsync("#docs > li .doc-name");
        Assert.Equal(PageCorpus.Files.Count - 10, second.Length);
        Assert.Equal(PageCorpus.Files.Keys.Order(StringComparer.Ordinal), [.. firstNames, .. second]);
        Assert.True(await session.EvalAsync<bool>("() => document.getElementById('docs-next').disabled"));
        Assert.Contains(session.ApiRequests, u => u.AbsolutePath == "/api/documents" && u.Query.Contains("continuationToken=", StringComparison.Ordinal));

        await session.Page.ClickAsync("#docs-prev");
        await session.WaitForDocumentsAsync(page: 1);
        Assert.Equal(firstNames, await session.TextsAsync("#docs > li .doc-name"));
        await session.AssertCleanAsync();
    }

    private static async Task<string[]> SourcesAsync(PageSession session) =>
        await session.EvalAsync<string[]>("() => [...document.querySelectorAll('#results .hit .hit-source')].map(e => e.textContent)");
}
