using System.CommandLine;

namespace SemanticSearch.Local.Commands;

/// <summary>The <c>semantic-search</c> command line: one executable, one verb per task.</summary>
public static class SemanticSearchCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Semantic search on one machine: ingest documents, search them by meaning, serve the HTTP API.")
        {
            ServeCommand.Create(),
            IngestCommand.Create(),
            SearchCommand.Create(),
            EvalCommand.Create(),
            BenchCommand.Create(),
            LoadCommand.Create(),
        };
        return root;
    }
}
