using System.Collections.Concurrent;
using PuppeteerSharp;

namespace SemanticSearch.Local.Tests.Page;

/// <summary>
/// One page under test and everything it did that a user would not see: console errors (failed loads among them),
/// Content-Security-Policy violations (from the page's own <c>securitypolicyviolation</c> events, recorded by a script
/// DevTools injects before any of the page's, so CSP does not apply to it), uncaught exceptions, JavaScript dialogs
/// (an <c>alert()</c> from injected markup would land here) and the API calls it made.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private const string RecordViolations =
        """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
        });
        """;

    private readonly IBrowserContext _context;

    private PageSession(IBrowserContext context, IPage page, Uri baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                ConsoleErrors.Add($"{e.Message.Text} ({e.Message.Location?.URL})");
            }
        };
        page.PageError += (_, e) => PageErrors.Add(e.Message);
        page.Dialog += async (_, e) =>
        {
            Dialogs.Add($"{e.Dialog.DialogType}: {e.Dialog.Message}");
            await e.Dialog.Dismiss();
        };
        page.Request += (_, e) =>
        {
            if (e.Request.ResourceType is ResourceType.Fetch or ResourceType.Xhr)
            {
                ApiRequests.Enqueue(new Uri(e.Request.Url));
            }
            else if (!e.Request.Url.StartsWith(baseUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && !e.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                OtherOrigins.Add(e.Request.Url);
            }
        };
    }

    public static async Task<PageSession> StartAsync(IBrowserContext context, IPage page, Uri baseUrl)
    {
        var session = new PageSession(context, page, baseUrl);
        await page.EvaluateExpressionOnNewDocumentAsync(RecordViolations);
        return session;
    }

    public IPage Page { get; }

    public Uri BaseUrl { get; }

    public ConcurrentBag<string> ConsoleErrors { get; } = [];

    public ConcurrentBag<string> PageErrors { get; } = [];

    public ConcurrentBag<string> Dialogs { get; } = [];

    public ConcurrentBag<string> OtherOrigins { get; } = [];

    public ConcurrentQueue<Uri> ApiRequests { get; } = new();

    public IReadOnlyList<Uri> Searches => [.. ApiRequests.Where(u => u.AbsolutePath == "/api/search")];

    /// <summary>Opens a page of the server and waits for its scripts to have run (load fires after module scripts).</summary>
    public async Task<IResponse> GoAsync(string pathAndQuery)
    {
        var response = await Page.GoToAsync(new Uri(BaseUrl, pathAndQuery).ToString(), WaitUntilNavigation.Load);
        Assert.True(response.Ok, $"{pathAndQuery}: HTTP {(int)response.Status}");
        return response;
    }

    /// <summary>Waits until the search for <paramref name="query"/> has finished and its outcome (results or an error) is on screen.</summary>
    public Task WaitForSearchAsync(string query) =>
        Page.WaitForFunctionAsync(
            """
            (q) => {
              const summary = document.getElementById('summary').textContent;
              return document.getElementById('results').getAttribute('aria-busy') === 'false'
                && !summary.startsWith('Searching')
                && (summary.includes(`“${q}”`) || !document.getElementById('error').hidden);
            }
            """,
            query);

    /// <summary>Waits until the documents panel shows a loaded page.</summary>
    public Task WaitForDocumentsAsync(int page = 1) =>
        Page.WaitForFunctionAsync(
            "(p) => document.getElementById('docs').getAttribute('aria-busy') === 'false' && document.getElementById('docs-page').textContent === `Page ${p}` && document.querySelectorAll('#docs > li').length > 0",
            page);

    /// <summary>Types <paramref name="query"/> into the (emptied) search box and presses Enter, then waits for the answer.</summary>
    public async Task SearchAsync(string query)
    {
        await Page.EvaluateFunctionAsync("() => { const q = document.getElementById('q'); q.value = ''; q.focus(); }");
        await Page.Keyboard.TypeAsync(query);
        await Page.Keyboard.PressAsync("Enter");
        await WaitForSearchAsync(query);
    }

    public Task<T> EvalAsync<T>(string function, params object[] args) => Page.EvaluateFunctionAsync<T>(function, args);

    /// <summary>The rendered text (innerText: what is visible, as laid out) of the first match, or "".</summary>
    public Task<string> TextAsync(string selector) =>
        Page.EvaluateFunctionAsync<string>("(s) => document.querySelector(s)?.innerText ?? ''", selector);

    public Task<string[]> TextsAsync(string selector) =>
        Page.EvaluateFunctionAsync<string[]>("(s) => [...document.querySelectorAll(s)].map(e => e.innerText)", selector);

    /// <summary>A picture for whoever reads a failed run: screenshots/NAME.png in the test output folder.</summary>
    public async Task SnapshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(Path.Combine(folder, name + ".png"), new ScreenshotOptions { FullPage = true });
    }

    /// <summary>
    /// Fails with everything that went wrong in the page: console errors (but those containing one of
    /// <paramref name="expectedConsoleErrors"/>, such as Chromium's own line for an HTTP error the test asked for), CSP
    /// violations, uncaught exceptions, dialogs, requests to another origin.
    /// </summary>
    public async Task AssertCleanAsync(params string[] expectedConsoleErrors)
    {
        var violations = await Page.EvaluateExpressionAsync<string[]>("window.__cspViolations ?? []");
        Assert.True(violations.Length == 0, "CSP violations:\n" + string.Join('\n', violations));
        var errors = ConsoleErrors.Where(e => !expectedConsoleErrors.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "Console errors:\n" + string.Join('\n', errors));
        Assert.True(PageErrors.IsEmpty, "Uncaught exceptions:\n" + string.Join('\n', PageErrors));
        Assert.True(Dialogs.IsEmpty, "Dialogs opened:\n" + string.Join('\n', Dialogs));
        Assert.True(OtherOrigins.IsEmpty, "Requests to another origin:\n" + string.Join('\n', OtherOrigins));
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
    }
}
