using System.Runtime.CompilerServices;

namespace SemanticSearch.Local.Tests.Page;

/// <summary>
/// Which Chromium the browser tests drive, and how. Nothing is downloaded (browser downloaders cannot reach their CDN
/// here): the tests run the browser the machine has — Debian's <c>apt-get install -y chromium</c> puts it at
/// /usr/bin/chromium — or the one <c>CHROMIUM_PATH</c> names.
/// </summary>
public static class Chromium
{
    private static readonly string[] KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>
    /// Flags that work on these machines: root (no sandbox), no GPU, no /dev/shm to speak of, a closed network (without
    /// the background-networking ones Chromium keeps dialling out and logging the refusals). Headless mode is
    /// PuppeteerSharp's <c>Headless = true</c>, which adds Chrome's new headless mode.
    /// </summary>
    public static readonly string[] Flags =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--lang=en-US",
    ];

    /// <summary>CHROMIUM_PATH when set (and only it), else the first known path that exists; null when there is none.</summary>
    public static string? ExecutablePath { get; } = Find();

    /// <summary>PAGE_TESTS_REQUIRE_BROWSER=1 (CI): a missing browser fails the tests instead of skipping them.</summary>
    public static bool Required { get; } = Environment.GetEnvironmentVariable("PAGE_TESTS_REQUIRE_BROWSER") is "1" or "true";

    public static string MissingMessage =>
        "no Chromium to drive (looked at " +
        (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? $"CHROMIUM_PATH={p}" : string.Join(", ", KnownPaths)) +
        "). Install it with `apt-get install -y chromium` or set CHROMIUM_PATH; PAGE_TESTS_REQUIRE_BROWSER=1 makes this a failure instead of a skip.";

    public static string SkipReason => "SKIPPED, browser test: " + MissingMessage;

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }
        return KnownPaths.FirstOrDefault(File.Exists);
    }
}

/// <summary>
/// A <see cref="FactAttribute"/> that skips itself, visibly and with the reason, when there is no browser — unless
/// PAGE_TESTS_REQUIRE_BROWSER=1, when the test runs and fails saying the browser is missing. xunit 2 has no dynamic
/// skip, but an attribute's Skip is read at discovery, so setting it in the constructor works.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute([CallerMemberName] string test = "")
    {
        if (Chromium.ExecutablePath is null && !Chromium.Required)
        {
            Skip = Chromium.SkipReason;
            // dotnet test prints skip reasons only at normal verbosity, but names always: say it in the name too.
            DisplayName = $"{test} [SKIPPED: no Chromium]";
        }
    }
}

/// <summary>The <see cref="TheoryAttribute"/> twin of <see cref="BrowserFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute([CallerMemberName] string test = "")
    {
        if (Chromium.ExecutablePath is null && !Chromium.Required)
        {
            Skip = Chromium.SkipReason;
            DisplayName = $"{test} [SKIPPED: no Chromium]";
        }
    }
}
