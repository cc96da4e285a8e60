using System.Text.RegularExpressions;

namespace SemanticSearch.Chunking;

/// <summary>
/// Splits a paragraph into sentences: after '.', '!', '?' or '…' (optionally followed by closing quotes or brackets)
/// and white space, when the next word starts like a sentence. Common abbreviations, initials and decimal numbers do
/// not end a sentence. Good enough to keep chunks from cutting sentences; not a linguistic parser.
/// </summary>
public static partial class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "etc", "vs", "cf", "al", "fig", "figs", "eq", "eqs", "no", "nos", "vol", "pp", "approx", "ca",
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "inc", "ltd", "co", "corp", "dept", "univ",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    };

    [GeneratedRegex(@"(?<=[.!?…][""'”’)\]]*)\s+(?=[""'“‘(\[]*[\p{Lu}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex CandidateBoundary();

    public static IReadOnlyList<string> Split(string paragraph)
    {
        var sentences = new List<string>();
        var start = 0;
        foreach (Match boundary in CandidateBoundary().Matches(paragraph))
        {
            if (EndsWithAbbreviation(paragraph.AsSpan(start, boundary.Index - start)))
            {
                continue;
            }
            AddTrimmed(sentences, paragraph[start..boundary.Index]);
            start = boundary.Index + boundary.Length;
        }
        AddTrimmed(sentences, paragraph[start..]);
        return sentences;
    }

    private static bool EndsWithAbbreviation(ReadOnlySpan<char> sentence)
    {
        var trimmed = sentence.TrimEnd("\"'”’)]".AsSpan());
        if (trimmed.Length == 0 || trimmed[^1] != '.')
        {
            return false;
        }
        var withoutDot = trimmed[..^1];
        var wordStart = withoutDot.LastIndexOfAny(' ', '(', '\n') + 1;
        var word = withoutDot[wordStart..];
        // A single capital before the dot is an initial ("J. Smith") or a list label ("A. First option").
        return word.Length == 1 && char.IsUpper(word[0]) || Abbreviations.Contains(word.ToString());
    }

    private static void AddTrimmed(List<string> sentences, string sentence)
    {
        var trimmed = sentence.Trim();
        if (trimmed.Length > 0)
        {
            sentences.Add(trimmed);
        }
    }
}
