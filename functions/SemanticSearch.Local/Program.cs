using SemanticSearch.Local.Commands;

return await SemanticSearchCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
