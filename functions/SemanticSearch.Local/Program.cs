using SemanticSearch.Local.Commands;

return await CommandLineRunner.RunAsync(args).ConfigureAwait(false);
