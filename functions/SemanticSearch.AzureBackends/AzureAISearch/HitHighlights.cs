using System.Globalization;
using System.Text;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// Highlight fragments a client can insert as HTML: every character of the chunk's text escaped, and the matching
/// terms wrapped in <c>&lt;em&gt;…&lt;/em&gt;</c> — the only markup a fragment ever holds, balanced, even when the
/// document contains <c>&lt;script&gt;</c>.
/// </summary>
/// <remarks>
/// The service is asked to mark terms with two Unicode noncharacters (U+FDD0, U+FDD1) rather than with
/// <c>&lt;em&gt;</c>: noncharacters are reserved for a program's internal use and do not occur in interchanged text,
/// so after the whole fragment is escaped they can only be the service's markers. Should a document contain one
/// anyway, the worst outcome is a stray emphasis: an unmatched marker is dropped, never turned into markup.
/// </remarks>
public static class HitHighlights
{
    /// <summary>The service's highlight pre-tag.</summary>
    public const string PreTag = "\uFDD0";

    /// <summary>The service's highlight post-tag.</summary>
    public const string PostTag = "\uFDD1";

    /// <summary>Fragments a hit carries at most (the service is asked for as many).</summary>
    public const int MaxFragments = 3;

    /// <summary>Characters around a locally found term in a fragment.</summary>
    private const int LocalContext = 80;

    /// <summary>Words too common to be worth marking in a local highlight (the English analyzer ignores them too).</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
    };

    /// <summary>The service's fragments (marked with <see cref="PreTag"/>/<see cref="PostTag"/>) as safe HTML.</summary>
    public static IReadOnlyList<string> FromService(IEnumerable<string>? fragments) =>
        fragments is null ? [] : [.. fragments.Where(f => !string.IsNullOrEmpty(f)).Take(MaxFragments).Select(ToHtml)];

    /// <summary>One marked fragment as HTML: text escaped, paired markers turned into &lt;em&gt; and &lt;/em&gt;, stray ones dropped.</summary>
    public static string ToHtml(string fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        var html = new StringBuilder(fragment.Length + 32);
        for (var i = 0; i < fragment.Length; i++)
        {
            var c = fragment[i];
            if (c == PreTag[0])
            {
                var close = fragment.IndexOf(PostTag[0], i + 1);
                if (close >= 0)
                {
                    html.Append("<em>");
                    AppendEscaped(html, fragment.AsSpan(i + 1, close - i - 1), stripMarkers: true);
                    html.Append("</em>");
                    i = close;
                }
                continue;
            }
            if (c != PostTag[0])
            {
                AppendEscaped(html, fragment.AsSpan(i, 1), stripMarkers: false);
            }
        }
        return html.ToString();
    }

    /// <summary>
    /// Highlights for a hit the service found without text (a pure vector query): up to <see cref="MaxFragments"/>
    /// windows of the chunk around whole words that equal a query term, ignoring case, escaped and marked like the
    /// service's. No stemming: a chunk that only matches in meaning gets no highlights.
    /// </summary>
    public static IReadOnlyList<string> Local(string query, string content)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(content);
        var terms = Words(query).Select(w => query.Substring(w.Start, w.Length).ToLower(CultureInfo.InvariantCulture))
            .Where(t => t.Length > 1 && !StopWords.Contains(t))
            .ToHashSet(StringComparer.Ordinal);
        if (terms.Count == 0)
        {
            return [];
        }
        var matches = Words(content)
            .Where(w => terms.Contains(content.Substring(w.Start, w.Length).ToLower(CultureInfo.InvariantCulture)))
            .ToList();
        var fragments = new List<string>();
        var next = 0;
        while (next < matches.Count && fragments.Count < MaxFragments)
        {
            var start = WordBoundaryBefore(content, Math.Max(0, matches[next].Start - LocalContext));
            var end = WordBoundaryAfter(content, Math.Min(content.Length, matches[next].Start + matches[next].Length + LocalContext));
            var html = new StringBuilder(end - start + 32);
            var position = start;
            for (; next < matches.Count && matches[next].Start + matches[next].Length <= end; next++)
            {
                AppendEscaped(html, content.AsSpan(position, matches[next].Start - position), stripMarkers: false);
                html.Append("<em>");
                AppendEscaped(html, content.AsSpan(matches[next].Start, matches[next].Length), stripMarkers: false);
                html.Append("</em>");
                position = matches[next].Start + matches[next].Length;
            }
            AppendEscaped(html, content.AsSpan(position, end - position), stripMarkers: false);
            fragments.Add(html.ToString().Trim());
        }
        return fragments;
    }

    /// <summary>HTML-escapes text for an element's content or an attribute value.</summary>
    private static void AppendEscaped(StringBuilder html, ReadOnlySpan<char> text, bool stripMarkers)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                case '\uFDD0' or '\uFDD1' when stripMarkers: break;
                default: html.Append(c); break;
            }
        }
    }

    private static IEnumerable<(int Start, int Length)> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return (start, i - start);
                start = -1;
            }
        }
    }

    private static int WordBoundaryBefore(string text, int index)
    {
        while (index > 0 && char.IsLetterOrDigit(text[index - 1]))
        {
            index--;
        }
        return index;
    }

    private static int WordBoundaryAfter(string text, int index)
    {
        while (index < text.Length && char.IsLetterOrDigit(text[index]))
        {
            index++;
        }
        return index;
    }
}
