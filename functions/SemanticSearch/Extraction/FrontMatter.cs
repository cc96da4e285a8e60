using System.Globalization;
using System.Text;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Extraction;

/// <summary>
/// Reads the three keys the index uses — <c>title</c>, <c>tags</c>, <c>acl</c> — from a Markdown file's YAML front
/// matter, and nothing else. It is a deliberately small, strict reader rather than a YAML library: no anchors, aliases,
/// tags or documents, so no input can make it expand or execute anything. Understood:
/// <list type="bullet">
/// <item>a scalar: plain, <c>'single'</c> or <c>"double"</c> quoted (with the common escapes), or a <c>|</c> / <c>&gt;</c> block;</item>
/// <item>a list: flow (<c>[a, "b c"]</c>, may span lines), block (lines of <c>- a</c>), or a comma-separated string
/// (tags also split on semicolons).</item>
/// </list>
/// Other keys are skipped with whatever is nested under them; comments and blank lines are ignored. Anything this reader
/// cannot read with certainty — a line that is no <c>key: value</c>, an unterminated quote or list, a key stated twice, a
/// mapping where a list belongs — makes the whole front matter say nothing: a misread <c>acl</c> must never be indexed.
/// Malformed front matter is never a reason to reject the document.
/// </summary>
internal static class FrontMatter
{
    private const string TitleKey = "title";
    private const string TagsKey = "tags";
    private const string AclKey = "acl";

    public static DocumentProperties Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            return Parse(yaml.ReplaceLineEndings("\n").Split('\n'));
        }
        catch (FormatException)
        {
            return DocumentProperties.None;
        }
    }

    private static DocumentProperties Parse(string[] lines)
    {
        string? title = null;
        IReadOnlyList<string> tags = [], acl = [];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i++];
            if (IsBlankOrComment(line))
            {
                continue;
            }
            if (char.IsWhiteSpace(line[0]) || line[0] == '-')
            {
                // Indented text or a list item that belongs to no key.
                throw new FormatException("Content outside a key.");
            }
            var (key, rest) = SplitKey(line);
            // What belongs to this key: indented lines and "- " items up to the next key at the margin.
            var nested = new List<string>();
            while (i < lines.Length && (IsBlankOrComment(lines[i]) || char.IsWhiteSpace(lines[i][0]) || lines[i][0] == '-'))
            {
                if (!IsBlankOrComment(lines[i]))
                {
                    nested.Add(lines[i]);
                }
                i++;
            }
            if (key is not (TitleKey or TagsKey or AclKey))
            {
                continue;
            }
            if (!seen.Add(key))
            {
                throw new FormatException($"'{key}' is stated twice.");
            }
            switch (key)
            {
                case TitleKey:
                    title = ReadScalar(rest, nested);
                    break;
                case TagsKey:
                    tags = [.. ReadList(rest, nested, MetadataValues.SplitTags)];
                    break;
                default:
                    acl = [.. ReadList(rest, nested, MetadataValues.SplitGroups)];
                    break;
            }
        }
        return title is null && tags.Count == 0 && acl.Count == 0 ? DocumentProperties.None : new DocumentProperties(title, tags, acl);
    }

    /// <summary>"key: rest" at the margin; the key lower-cased when it is one of ours.</summary>
    private static (string Key, string Value) SplitKey(string line)
    {
        var colon = -1;
        for (var c = line.IndexOf(':', StringComparison.Ordinal); c >= 0; c = line.IndexOf(':', c + 1))
        {
            if (c == line.Length - 1 || line[c + 1] is ' ' or '\t')
            {
                colon = c;
                break;
            }
        }
        if (colon <= 0)
        {
            throw new FormatException("A line is not 'key: value'.");
        }
        var key = line[..colon].Trim();
        if (key.Length >= 2 && key[0] is '"' or '\'' && key[^1] == key[0])
        {
            key = key[1..^1];
        }
        var known = key.ToLowerInvariant();
        return (known is TitleKey or TagsKey or AclKey ? known : key, line[(colon + 1)..].Trim());
    }

    private static string? ReadScalar(string rest, List<string> nested)
    {
        if (rest.Length > 0 && rest[0] is '|' or '>')
        {
            if (!IsBlockHeader(rest))
            {
                throw new FormatException("A block scalar header is malformed.");
            }
            // Literal or folded, the title is one line: the lines are joined with spaces.
            return NullIfEmpty(string.Join(' ', nested.Select(l => l.Trim())));
        }
        if (rest.Length > 0 && rest[0] is '[' or '{')
        {
            throw new FormatException("A list or mapping where a single value belongs.");
        }
        if (rest.Length > 0 && rest[0] is '"' or '\'')
        {
            if (nested.Count > 0)
            {
                throw new FormatException("Quoted values spanning lines are not supported.");
            }
            var position = 0;
            var value = ReadQuoted(rest, ref position);
            ExpectEnd(rest, position);
            return value;
        }
        if (nested.Any(l => l.TrimStart().StartsWith('-')))
        {
            throw new FormatException("A list where a single value belongs.");
        }
        // A plain scalar may continue on indented lines.
        var plain = CheckPlain(string.Join(' ', [StripComment(rest), .. nested.Select(l => StripComment(l.Trim()))]).Trim());
        return IsNull(plain) ? null : NullIfEmpty(plain);
    }

    private static IEnumerable<string> ReadList(string rest, List<string> nested, Func<string, IEnumerable<string>> split)
    {
        if (rest.Length == 0 || IsNull(StripComment(rest)))
        {
            return nested.Select(ReadBlockItem).ToList();
        }
        if (rest[0] == '{')
        {
            throw new FormatException("A mapping where a list belongs.");
        }
        if (rest[0] == '[')
        {
            // A flow list may span lines: its continuation lines are indented under the key.
            return ReadFlowList(string.Join(' ', [rest, .. nested.Select(l => l.Trim())]));
        }
        if (nested.Any(l => l.TrimStart().StartsWith('-')))
        {
            throw new FormatException("Both a value and list items.");
        }
        return ReadScalar(rest, nested) is { } text ? split(text) : [];
    }

    /// <summary>One "- item" line of a block list.</summary>
    private static string ReadBlockItem(string line)
    {
        var item = line.TrimStart();
        if (item.Length == 0 || item[0] != '-' || (item.Length > 1 && item[1] is not (' ' or '\t')))
        {
            throw new FormatException("A list item is expected.");
        }
        var value = item[1..].Trim();
        if (value.Length == 0 || value[0] is '-' or '[' or '{' or '|' or '>')
        {
            throw new FormatException("Nested lists and mappings are not tags or groups.");
        }
        if (value[0] is '"' or '\'')
        {
            var position = 0;
            var quoted = ReadQuoted(value, ref position);
            ExpectEnd(value, position);
            return quoted;
        }
        return CheckPlain(StripComment(value).Trim());
    }

    private static List<string> ReadFlowList(string text)
    {
        var items = new List<string>();
        var position = 1;
        while (true)
        {
            SkipSpaces(text, ref position);
            if (position >= text.Length)
            {
                throw new FormatException("An unterminated list.");
            }
            if (text[position] == ']')
            {
                ExpectEnd(text, position + 1);
                return items;
            }
            string item;
            if (text[position] is '"' or '\'')
            {
                item = ReadQuoted(text, ref position);
            }
            else if (text[position] is '[' or '{')
            {
                throw new FormatException("Nested lists and mappings are not tags or groups.");
            }
            else
            {
                var end = text.IndexOfAny([',', ']'], position);
                if (end < 0)
                {
                    throw new FormatException("An unterminated list.");
                }
                item = CheckPlain(text[position..end].Trim());
                position = end;
            }
            items.Add(item);
            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
            }
            else if (position >= text.Length || text[position] != ']')
            {
                throw new FormatException("List items must be separated by commas.");
            }
        }
    }

    private static string ReadQuoted(string text, ref int position)
    {
        var quote = text[position++];
        var value = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == quote)
            {
                if (quote == '\'' && position < text.Length && text[position] == '\'')
                {
                    value.Append('\'');
                    position++;
                    continue;
                }
                return value.ToString();
            }
            if (c == '\\' && quote == '"')
            {
                value.Append(Escape(text, ref position));
                continue;
            }
            value.Append(c);
        }
        throw new FormatException("An unterminated quoted value.");
    }

    private static string Escape(string text, ref int position)
    {
        if (position >= text.Length)
        {
            throw new FormatException("An unterminated escape.");
        }
        var c = text[position++];
        switch (c)
        {
            case '"' or '\\' or '/' or ' ':
                return c.ToString();
            case 'n':
                return "\n";
            case 't':
                return "\t";
            case 'u' when position + 4 <= text.Length
                && int.TryParse(text.AsSpan(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                position += 4;
                return ((char)code).ToString();
            default:
                throw new FormatException($"The escape '\\{c}' is not supported.");
        }
    }

    /// <summary>After a value only spaces and a comment may follow.</summary>
    private static void ExpectEnd(string text, int position)
    {
        var rest = text[position..];
        if (rest.Length > 0 && StripComment(" " + rest).Trim().Length > 0)
        {
            throw new FormatException("Text after a value.");
        }
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }
    }

    /// <summary>A plain value up to a comment, which starts at a '#' after a space.</summary>
    private static string StripComment(string text)
    {
        if (text.StartsWith('#'))
        {
            return string.Empty;
        }
        var hash = text.IndexOf(" #", StringComparison.Ordinal);
        var tab = text.IndexOf("\t#", StringComparison.Ordinal);
        var cut = hash < 0 ? tab : tab < 0 ? hash : Math.Min(hash, tab);
        return cut < 0 ? text : text[..cut];
    }

    /// <summary>
    /// A plain value as YAML allows it: no ": " inside (that is a mapping), and no anchor, alias, tag or reserved
    /// indicator in front (whose meaning this reader does not follow).
    /// </summary>
    private static string CheckPlain(string value)
    {
        if (value.Contains(": ", StringComparison.Ordinal) || value.EndsWith(':') || (value.Length > 0 && value[0] is '&' or '*' or '!' or '%' or '@' or '`' or '?'))
        {
            throw new FormatException("Not a plain value.");
        }
        return value;
    }

    private static bool IsBlockHeader(string rest)
    {
        var header = StripComment(rest).Trim();
        return header.Length <= 3 && header[1..].All(c => c is '-' or '+' || char.IsAsciiDigit(c));
    }

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    private static bool IsNull(string value) => value is "~" or "null" or "Null" or "NULL";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
