using System.Globalization;
using System.Text;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Search latency against index size as a small standalone SVG (both axes logarithmic, so a cost that grows in
/// proportion to the index is a straight line of slope one and the sub-millisecond vector search stays visible;
/// p50 solid and p99 dashed per mode). Written by hand rather than with a plotting library: no native rendering assets to ship, and the file is
/// a few kilobytes of text that diffs well in the repository.
/// </summary>
public static class LatencyPlot
{
    private const double Width = 720, Height = 440, Left = 70, Right = 170, TopMargin = 50, Bottom = 60;

    private static readonly (string Name, string Color, Func<ScalePoint, Summary> P50, Func<ScalePoint, Summary> P99)[] Series =
    [
        ("keyword", "#1f77b4", p => p.KeywordP50, p => p.KeywordP99),
        ("vector", "#2ca02c", p => p.VectorP50, p => p.VectorP99),
        ("hybrid", "#d62728", p => p.HybridP50, p => p.HybridP99),
    ];

    public static string Render(IReadOnlyList<ScalePoint> points, string subtitle)
    {
        ArgumentNullException.ThrowIfNull(points);
        var ordered = points.OrderBy(p => p.Chunks).ToList();
        var minX = Math.Log10(Math.Max(1, ordered.Count > 0 ? ordered[0].Chunks : 1));
        var maxX = Math.Log10(Math.Max(10, ordered.Count > 0 ? ordered[^1].Chunks : 10));
        if (maxX - minX < 1e-9)
        {
            maxX = minX + 1;
        }
        var values = ordered.SelectMany(p => Series.SelectMany(s => new[] { s.P50(p).Median, s.P99(p).Median })).Where(v => v > 0).DefaultIfEmpty(1).ToList();
        var minY = Math.Floor(Math.Log10(values.Min()));
        var maxY = Math.Ceiling(Math.Log10(values.Max()));
        if (maxY - minY < 1)
        {
            maxY = minY + 1;
        }
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - TopMargin - Bottom;
        double X(int chunks) => Left + (Math.Log10(chunks) - minX) / (maxX - minX) * plotWidth;
        double Y(double ms) => TopMargin + plotHeight - (Math.Log10(Math.Max(ms, Math.Pow(10, minY))) - minY) / (maxY - minY) * plotHeight;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="22" text-anchor="middle" font-size="15">Search latency vs index size (embedded index, top 10)</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="40" text-anchor="middle" fill="#555">{Escape(subtitle)}</text>""").Append('\n');

        for (var power = minY; power <= maxY; power++)
        {
            var ms = Math.Pow(10, power);
            var y = Y(ms);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{y:F1}" x2="{Left + plotWidth}" y2="{y:F1}" stroke="#e5e5e5"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 8}" y="{y + 4:F1}" text-anchor="end">{(ms >= 1 ? ms.ToString("N0", CultureInfo.InvariantCulture) : ms.ToString("G3", CultureInfo.InvariantCulture))}</text>""").Append('\n');
        }
        foreach (var point in ordered)
        {
            var x = X(point.Chunks);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:F1}" y1="{TopMargin}" x2="{x:F1}" y2="{TopMargin + plotHeight}" stroke="#e5e5e5"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x:F1}" y="{TopMargin + plotHeight + 18}" text-anchor="middle">{point.Chunks:N0}</text>""").Append('\n');
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left}" y="{TopMargin}" width="{plotWidth}" height="{plotHeight}" fill="none" stroke="#333"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + plotWidth / 2}" y="{Height - 18}" text-anchor="middle">chunks in the index (log scale)</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="18" y="{TopMargin + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 18 {TopMargin + plotHeight / 2})">milliseconds per search (log scale)</text>""").Append('\n');

        var legendY = TopMargin + 10;
        foreach (var (name, color, p50, p99) in Series)
        {
            foreach (var (percentile, dash, select) in new[] { ("p50", "", p50), ("p99", " stroke-dasharray=\"6 4\"", p99) })
            {
                var line = string.Join(' ', ordered.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Chunks):F1},{Y(select(p).Median):F1}")));
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"{dash}/>""").Append('\n');
                foreach (var p in ordered)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{X(p.Chunks):F1}" cy="{Y(select(p).Median):F1}" r="3" fill="{color}"/>""");
                }
                svg.Append('\n');
                var lx = Left + plotWidth + 14;
                svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{lx}" y1="{legendY}" x2="{lx + 28}" y2="{legendY}" stroke="{color}" stroke-width="2"{dash}/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{lx + 34}" y="{legendY + 4}">{name} {percentile}</text>""").Append('\n');
                legendY += 20;
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
