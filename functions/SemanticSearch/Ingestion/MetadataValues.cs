using System.Text;

namespace SemanticSearch.Ingestion;

/// <summary>
/// The one normal form of what files and sources say about a document — a title, tags, the groups allowed to read
/// it — so the extractors, the sources and the ingestor agree on it, and what is stored is bounded whatever a file claims.
/// </summary>
public static class MetadataValues
{
    /// <summary>Tags kept per document; the first ones stated win.</summary>
    public const int MaxTags = 50;

    /// <summary>A longer "tag" is a sentence pasted into the wrong field: it is dropped.</summary>
    public const int MaxTagLength = 100;

    /// <summary>Groups kept per document; the first ones stated win (fewer groups can only narrow who reads it).</summary>
    public const int MaxGroups = 100;

    /// <summary>Titles are cut to this many characters.</summary>
    public const int MaxTitleLength = 300;

    private static readonly char[] TagSeparators = [',', ';'];

    /// <summary>Whitespace collapsed, trimmed and cut to <see cref="MaxTitleLength"/>; null when nothing is left.</summary>
    public static string? Title(string? value)
    {
        var collapsed = Collapse(value);
        if (collapsed.Length == 0)
        {
            return null;
        }
        if (collapsed.Length <= MaxTitleLength)
        {
            return collapsed;
        }
        // Never cut between the two halves of a surrogate pair.
        var length = char.IsHighSurrogate(collapsed[MaxTitleLength - 1]) ? MaxTitleLength - 1 : MaxTitleLength;
        return collapsed[..length].TrimEnd();
    }

    /// <summary>
    /// Tags: whitespace collapsed, trimmed, lower-cased (invariant), distinct and sorted (ordinal); empty and overlong
    /// ones dropped, at most <see cref="MaxTags"/> (the first stated).
    /// </summary>
    public static IReadOnlyList<string> Tags(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var kept = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var tag = Collapse(value).ToLowerInvariant();
            if (tag.Length == 0 || tag.Length > MaxTagLength || !seen.Add(tag))
            {
                continue;
            }
            kept.Add(tag);
            if (kept.Count == MaxTags)
            {
                break;
            }
        }
        kept.Sort(StringComparer.Ordinal);
        return kept;
    }

    /// <summary>
    /// Groups: trimmed, case kept (ids are GUIDs or names, compared exactly), distinct and sorted (ordinal); empty ones
    /// dropped, at most <see cref="MaxGroups"/> (the first stated). None is dropped for its length: dropping every
    /// group of a restricted document would make it readable by everyone.
    /// </summary>
    public static IReadOnlyList<string> Groups(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var kept = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var group = value?.Trim() ?? string.Empty;
            if (group.Length == 0 || !seen.Add(group))
            {
                continue;
            }
            kept.Add(group);
            if (kept.Count == MaxGroups)
            {
                break;
            }
        }
        kept.Sort(StringComparer.Ordinal);
        return kept;
    }

    /// <summary>A keyword list as documents write it: "a, b; c" (comma or semicolon). Not normalized: see <see cref="Tags"/>.</summary>
    public static IEnumerable<string> SplitTags(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(TagSeparators);

    /// <summary>A group list as blob metadata and front matter write it: "a, b" (comma only; group names may hold semicolons).</summary>
    public static IEnumerable<string> SplitGroups(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',');

    /// <summary>Every run of whitespace or control characters becomes one space; the ends are trimmed.</summary>
    private static string Collapse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }
            if (space && text.Length > 0)
            {
                text.Append(' ');
            }
            space = false;
            text.Append(c);
        }
        return text.ToString().Normalize(NormalizationForm.FormC);
    }
}
