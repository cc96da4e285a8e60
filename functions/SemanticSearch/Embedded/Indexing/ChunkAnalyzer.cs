using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The analysis chain of the keyword index — Unicode word breaks (UAX #29), English possessive removed, lower-cased,
/// folded to ASCII (diacritics, ligatures), Porter-stemmed; the counterpart of the FTS5 tokenizer it replaced
/// (<c>porter unicode61 remove_diacritics 2</c>). One chain serves indexing, querying and highlighting, so a highlighted
/// word is exactly a word the index matched. No stop words at index time: on SciFact they changed nothing, and
/// "to be or not to be" stays findable; the query side drops them (<see cref="KeywordQuery"/>).
/// </summary>
internal sealed class ChunkAnalyzer : Analyzer
{
    /// <summary>The Lucene compatibility version every component of the index is created with.</summary>
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly CharArraySet? _stopWords;

    /// <param name="stopWords">Words to drop (matched lower-cased and folded, before stemming); null keeps every word.</param>
    public ChunkAnalyzer(IEnumerable<string>? stopWords = null) =>
        _stopWords = stopWords is null ? null : new CharArraySet(Version, stopWords.ToList(), ignoreCase: false);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new EnglishPossessiveFilter(Version, source);
        stream = new LowerCaseFilter(Version, stream);
        stream = new ASCIIFoldingFilter(stream);
        if (_stopWords is not null)
        {
            stream = new StopFilter(Version, stream, _stopWords);
        }
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    /// <summary>The index terms of <paramref name="text"/>, each with where its word lies in the text.</summary>
    public List<(string Term, int Start, int End)> Terms(string text)
    {
        var terms = new List<(string, int, int)>();
        using var stream = GetTokenStream(ChunkFields.Content, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add((term.ToString(), offset.StartOffset, offset.EndOffset));
        }
        stream.End();
        return terms;
    }
}
