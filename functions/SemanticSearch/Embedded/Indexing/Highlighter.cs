using System.Net;
using System.Text;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Up to three fragments of about 160 characters of a chunk, with every word the keyword index matched wrapped in
/// <c>&lt;em&gt;…&lt;/em&gt;</c> and everything else HTML-escaped (&amp; &lt; &gt; " '), so a client can insert them as
/// HTML. The text is run through the index's own analyzer, so a word is marked exactly when its term is one of the
/// query's terms: stems count as the index counts them ("runs" marks "running" and "run", not "runner"). A chunk
/// without any query term — a vector hit — gets no fragment: the content is in the hit already, and an unmarked
/// excerpt would pretend to show why it matched.
/// </summary>
internal static class Highlighter
{
    public const int MaxFragments = 3;
    public const int FragmentLength = 160;

    public static IReadOnlyList<string> Fragments(ChunkAnalyzer analyzer, IReadOnlySet<string> queryTerms, string text)
    {
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(queryTerms);
        ArgumentNullException.ThrowIfNull(text);
        if (queryTerms.Count == 0 || text.Length == 0)
        {
            return [];
        }
        var matches = analyzer.Terms(text).Where(t => queryTerms.Contains(t.Term)).ToList();
        if (matches.Count == 0)
        {
            return [];
        }

        // A candidate window starts a little before each match (at a word boundary); the best hold the most distinct
        // terms, then the most matches, then come first. Up to three that do not overlap are kept, in text order.
        var windows = new List<(int Start, int End, int Distinct, int Count)>(matches.Count);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = WordStart(text, Math.Max(0, matches[i].Start - (FragmentLength / 4)));
            var end = WordEnd(text, Math.Min(text.Length, start + FragmentLength));
            var inside = matches.Skip(i).TakeWhile(m => m.End <= end).ToList();
            windows.Add((start, end, inside.Select(m => m.Term).Distinct(StringComparer.Ordinal).Count(), inside.Count));
        }
        var chosen = new List<(int Start, int End)>();
        foreach (var window in windows.OrderByDescending(w => w.Distinct).ThenByDescending(w => w.Count).ThenBy(w => w.Start))
        {
            if (chosen.Count == MaxFragments)
            {
                break;
            }
            if (chosen.All(c => window.End <= c.Start || window.Start >= c.End))
            {
                chosen.Add((window.Start, window.End));
            }
        }

        var fragments = new List<string>(chosen.Count);
        foreach (var (start, end) in chosen.OrderBy(c => c.Start))
        {
            var html = new StringBuilder(end - start + 64);
            if (start > 0)
            {
                html.Append('…');
            }
            var at = start;
            foreach (var match in matches.Where(m => m.Start >= start && m.End <= end))
            {
                html.Append(WebUtility.HtmlEncode(text[at..match.Start]))
                    .Append("<em>").Append(WebUtility.HtmlEncode(text[match.Start..match.End])).Append("</em>");
                at = match.End;
            }
            html.Append(WebUtility.HtmlEncode(text[at..end]));
            if (end < text.Length)
            {
                html.Append('…');
            }
            fragments.Add(html.ToString());
        }
        return fragments;
    }

    /// <summary>Moves back to the start of the word (at most a few characters: a long run without spaces is cut).</summary>
    private static int WordStart(string text, int index)
    {
        var limit = Math.Max(0, index - 20);
        var at = index;
        while (at > limit && !char.IsWhiteSpace(text[at - 1]))
        {
            at--;
        }
        at = at > limit || at == 0 ? at : index;
        return at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) ? at - 1 : at;
    }

    /// <summary>Moves on to the end of the word (at most a few characters).</summary>
    private static int WordEnd(string text, int index)
    {
        var limit = Math.Min(text.Length, index + 20);
        var at = index;
        while (at < limit && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }
        at = at < limit || at == text.Length ? at : index;
        return at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) ? at + 1 : at;
    }
}
