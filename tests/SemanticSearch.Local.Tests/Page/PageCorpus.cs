namespace SemanticSearch.Local.Tests.Page;

/// <summary>
/// The documents the browser tests search: fifteen files (so the documents panel, ten a page, has a second page) in
/// three formats and two folders, with tags, headings, one file that cannot be ingested and two that carry markup.
/// </summary>
internal static class PageCorpus
{
    public const string BeesTitle = "How honeybees find their way home";

    public const string FailedDocument = "broken/report.pdf";

    /// <summary>What any markup that ran would leave behind: every payload below sets this global (and calls alert).</summary>
    public const string Marker = "__pwned";

    public const string ScriptMarkup = "<script>window.__pwned=1;alert(1)</script>";

    public const string ImgMarkup = "<img src=x onerror=window.__pwned=2;alert(2)>";

    /// <summary>Text that looks like an escaped tag: it must be shown as written, not decoded a second time into "&lt;b&gt;".</summary>
    public const string EntityText = "&lt;b&gt;";

    public const string HostileTitle = "<img src=x onerror=alert('title')> Hostile title";

    /// <summary>A file name and a URL with no place to break a line: at phone width they must wrap, not widen the page.</summary>
    public const string LongName = "a-quarterly-budget-report-for-the-community-garden-association-2024-final-version-2.txt";

    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        [LongName] = "Community garden budget: the association spent most of it on seeds and tools; the details are at " +
            "https://example.org/community-garden/reports/2024/quarterly/budget-final-version-two-with-all-the-appendices.pdf",
        ["archive/meeting-notes-2024-01.txt"] = "January meeting notes. The team agreed to move the beehives before the spring inspection and to order new frames.",
        ["archive/meeting-notes-2024-02.txt"] = "February meeting notes. Budget review for the bakery project; the sourdough starter needs a warmer room.",
        ["archive/meeting-notes-2024-03.txt"] = "March meeting notes. Travel plans were cancelled after the volcanic ash cloud closed the airport.",
        ["ants.md"] = """
            ---
            title: Ant colonies and pheromone trails
            tags: [insects, biology]
            ---
            # Ants

            Ants lay pheromone trails between the nest and food; other workers follow the strongest trail, so a colony finds short paths without any map.
            """,
        ["bees.md"] = $"""
            ---
            title: {BeesTitle}
            tags: [insects, biology]
            ---
            # Honeybees

            ## Navigation

            Honeybees navigate using the position of the sun and polarised light, and bees remember landmarks on the way back to the hive.
            A forager that found flowers tells the other bees where they are with the waggle dance.
            """,
        [FailedDocument] = "%PDF-1.7\nthis is not really a pdf at all" + new string('\0', 64),
        ["bread.txt"] = "Why sourdough rises: wild yeast and lactic acid bacteria ferment the flour over many hours, and the gas they make lifts the dough.",
        ["coffee.md"] = """
            ---
            title: Brewing coffee
            tags: [kitchen]
            ---
            # Coffee

            Pour-over coffee needs water just off the boil and a medium-fine grind; steep too long and the cup turns bitter.
            """,
        ["handbook/beekeeping.md"] = """
            ---
            title: Beekeeping guide
            tags: [insects, guide]
            ---
            # Beekeeping

            ## Inspections

            Open the hive on a warm afternoon, check the frames for eggs and the queen, and keep the bees calm with smoke.
            """,
        ["handbook/volcanoes.html"] = """
            <html><head><title>Volcanic ash and aviation</title><meta name="keywords" content="geology, guide"></head>
            <body><h1>Volcanic ash</h1><p>Volcanic ash melts inside jet engines, so airports close when an ash cloud drifts over them.</p></body></html>
            """,
        ["hostile-title.md"] = $"""
            ---
            title: "{HostileTitle}"
            tags: [security]
            ---
            # Hostile headings

            A hostile document whose title is markup; its text is harmless.
            """,
        // Short enough for one highlight fragment (about 160 characters), so the whole markup is in the snippet.
        ["hostile.txt"] = $"Hostile markup: {ScriptMarkup} {ImgMarkup} {EntityText} stays text.",
        ["volcano.md"] = """
            ---
            title: Volcanic eruptions
            tags: [geology]
            ---
            # Volcanoes

            Volcanic eruptions eject ash and lava; pyroclastic flows race down the slopes at hundreds of kilometres per hour.
            """,
        ["waggle.txt"] = "The waggle dance: a honeybee forager dances in a figure of eight, and the angle of the waggle run tells the bees the direction of the flowers.",
    };
}
