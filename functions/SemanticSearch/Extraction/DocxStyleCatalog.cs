using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SemanticSearch.Extraction;

/// <summary>
/// Answers what a Word paragraph style means for structure: a heading (and its level) or a numbered list.
/// Style ids are localised ("berschrift1" in a German Word), so the built-in style name and the outline level are
/// checked too, following the basedOn chain as Word does.
/// </summary>
internal sealed class DocxStyleCatalog
{
    private const int MaxWordOutlineLevel = 8;
    private const int MaxBasedOnDepth = 16;

    private readonly Dictionary<string, Style> _paragraphStyles;

    public DocxStyleCatalog(StyleDefinitionsPart? stylesPart)
    {
        _paragraphStyles = new Dictionary<string, Style>(StringComparer.OrdinalIgnoreCase);
        var styles = stylesPart?.Styles?.Elements<Style>() ?? [];
        foreach (var style in styles)
        {
            if (style.StyleId?.Value is { } id && (style.Type is null || style.Type.Value == StyleValues.Paragraph))
            {
                _paragraphStyles.TryAdd(id, style);
            }
        }
    }

    /// <summary>1 for Title and Heading 1 … 9 for Heading 9; null for a style that is not a heading.</summary>
    public int? HeadingLevel(string? styleId)
    {
        if (styleId is null)
        {
            return null;
        }

        if (LevelFromName(styleId) is { } levelFromId)
        {
            return levelFromId;
        }

        foreach (var style in BasedOnChain(styleId))
        {
            var level = LevelFromName(style.StyleId?.Value)
                ?? LevelFromName(style.StyleName?.Val?.Value)
                ?? LevelFromOutline(style.StyleParagraphProperties?.OutlineLevel?.Val?.Value);
            if (level is not null)
            {
                return level;
            }
        }

        return null;
    }

    /// <summary>Whether paragraphs of this style are numbered or bulleted (List Bullet, List Number…).</summary>
    public bool IsNumbered(string? styleId) =>
        styleId is not null
        && BasedOnChain(styleId).Any(style => style.StyleParagraphProperties?.NumberingProperties?.NumberingId?.Val?.Value is > 0);

    /// <summary>The level of a paragraph outline level (w:outlineLvl 0…8), or null for body text (9).</summary>
    public static int? LevelFromOutline(int? outlineLevel) =>
        outlineLevel is { } level && level <= MaxWordOutlineLevel ? level + 1 : null;

    private IEnumerable<Style> BasedOnChain(string styleId)
    {
        var id = styleId;
        for (var depth = 0; depth < MaxBasedOnDepth && id is not null && _paragraphStyles.TryGetValue(id, out var style); depth++)
        {
            yield return style;
            id = style.BasedOn?.Val?.Value;
        }
    }

    private static int? LevelFromName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var compact = name.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact.Equals("Title", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        return compact.Length == "Heading".Length + 1
            && compact.StartsWith("Heading", StringComparison.OrdinalIgnoreCase)
            && compact[^1] is >= '1' and <= '9'
                ? compact[^1] - '0'
                : null;
    }
}
