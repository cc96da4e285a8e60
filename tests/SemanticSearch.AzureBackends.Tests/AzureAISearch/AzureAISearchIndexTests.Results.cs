using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Search.Documents;
using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using RetrievalMode = SemanticSearch.Indexing.RetrievalMode;

namespace SemanticSearch.AzureBackends.Tests.AzureAISearch;

/// <summary>
/// Issue 10 on Azure AI Search: the citation, filter and access fields in the index definition and in every write,
/// filters and access trimming as OData built only by <see cref="SearchFilter.Create"/>, highlights safe to insert as
/// HTML, and stable paging — each checked on the exact request the client sends and on how the stand-in, which parses
/// and evaluates the filter as the service does, answers it.
/// </summary>
public sealed partial class AzureAISearchIndexTests
{
    private static readonly string[] MetadataFieldNames =
        ["title", "source", "url", "contentType", "headings", "page", "modifiedAt", "tags", "folders", "type", "acl", "aclPublic", "metadataHash"];

    private static readonly DateTimeOffset May1 = new(2024, 5, 1, 12, 30, 0, TimeSpan.Zero);

    private static readonly float[] QueryVector = [1, 0, 0, 0];

    private static DocumentMetadata Metadata(string documentId, string? title = null, IReadOnlyList<string>? tags = null, IReadOnlyList<string>? acl = null, string? url = null, DateTimeOffset? modifiedAt = null) =>
        DocumentMetadata.Minimal(documentId) with
        {
            Title = title ?? DocumentPaths.FileNameOf(documentId),
            Url = url,
            ModifiedAt = modifiedAt,
            Tags = tags ?? [],
            Acl = acl ?? [],
        };

    private static IndexedChunk Cited(string documentId, string id, int ordinal, DocumentMetadata metadata, string content = "text", IReadOnlyList<string>? headings = null, int? page = null) =>
        Chunk(documentId, id, ordinal, content) with { Document = metadata, Headings = headings ?? [], Page = page };

    private Task<IReadOnlyList<SearchHit>> SearchAsync(AzureAISearchIndex index, RetrievalMode mode = RetrievalMode.Keyword, int top = 10, int skip = 0, SearchFilters? filters = null, Caller? caller = null, string text = "text") =>
        index.SearchAsync(new IndexQuery(text, mode == RetrievalMode.Keyword ? null : QueryVector, mode, top)
        {
            Skip = skip,
            Filters = filters ?? SearchFilters.None,
            Caller = caller ?? Caller.Anonymous,
        }, _ct);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Searches other than the listing of a document's chunks.</summary>
    private IEnumerable<JsonObject> Queries => _service.Searches.Select(r => r.Json.AsObject()).Where(q => (string?)q["search"] != "*");

    private JsonObject LastSearch => Queries.Last();

    // ---- Schema ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task TheIndexHasCitationFilterAndAccessFields()
    {
        await Create().InitializeAsync(Encoder, _ct);

        var fields = _service.IndexDefinition!["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!.AsObject());
        string Attributes(string name)
        {
            var field = fields[name];
            string[] flags = ["searchable", "filterable", "sortable", "facetable", "retrievable"];
            return (string)field["type"]! + " " + string.Join(",", flags.Where(flag => field[flag]?.GetValue<bool>() == true));
        }
        // The title is searchable (so it can join the ranking later without a rebuild) but queries search only content.
        Assert.Equal("Edm.String searchable,retrievable", Attributes("title"));
        Assert.Equal("en.lucene", (string?)fields["title"]["analyzer"]);
        Assert.Equal("Edm.String retrievable", Attributes("source"));
        Assert.Equal("Edm.String retrievable", Attributes("url"));
        Assert.Equal("Edm.String retrievable", Attributes("contentType"));
        Assert.Equal("Collection(Edm.String) retrievable", Attributes("headings"));
        Assert.Equal("Edm.Int32 retrievable", Attributes("page"));
        Assert.Equal("Edm.DateTimeOffset filterable,sortable,retrievable", Attributes("modifiedAt"));
        Assert.Equal("Collection(Edm.String) filterable,facetable,retrievable", Attributes("tags"));
        Assert.Equal("Collection(Edm.String) filterable,retrievable", Attributes("folders"));
        Assert.Equal("Edm.String filterable,facetable,retrievable", Attributes("type"));
        // The ACL can be filtered on but is never sent back.
        Assert.Equal("Collection(Edm.String) filterable", Attributes("acl"));
        Assert.Equal("Edm.Boolean filterable", Attributes("aclPublic"));
        Assert.Equal("Edm.String retrievable", Attributes("metadataHash"));
        // The vector field and profile are as they were.
        Assert.Equal(SearchIndexSchema.VectorProfileName, (string?)fields["vector"]["vectorSearchProfile"]);
        Assert.Single(_service.IndexDefinition!["vectorSearch"]!["profiles"]!.AsArray());
    }

    /// <summary>An index created before issue 10: the chunk fields only, and chunks without metadata.</summary>
    private async Task<AzureAISearchIndex> LegacyIndexWithOneChunkAsync()
    {
        await Create().InitializeAsync(Encoder, _ct);
        var fields = _service.IndexDefinition!["fields"]!.AsArray();
        foreach (var field in fields.Where(f => MetadataFieldNames.Contains((string?)f!["name"])).ToList())
        {
            fields.Remove(field);
        }
        _service.Documents["old"] = new JsonObject { ["id"] = "old", ["documentId"] = "doc.md", ["ordinal"] = 0, ["content"] = "bees", ["vector"] = new JsonArray(1f, 0f, 0f, 0f) };
        _service.Requests.Clear();
        var index = Create();
        await index.InitializeAsync(Encoder, _ct);
        return index;
    }

    [Fact]
    public async Task AnIndexCreatedBeforeTheMetadataFieldsGetsThemAddedInPlace()
    {
        await LegacyIndexWithOneChunkAsync();

        // Read, then the same definition with the new fields appended, conditional on the ETag read: no delete, no data loss.
        Assert.Equal(["GET", "PUT"], _service.Requests.Select(r => r.Method));
        var put = _service.Requests[1];
        Assert.Equal("\"0x1\"", put.Headers["If-Match"]);
        var names = put.Json["fields"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        Assert.Equal(["id", "documentId", "ordinal", "content", "vector", .. MetadataFieldNames], names);
        Assert.Single(_service.Documents);

        // Once added, nothing more to do.
        _service.Requests.Clear();
        await Create().InitializeAsync(Encoder, _ct);
        Assert.Equal(["GET"], _service.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ChunksWrittenBeforeTheMetadataFieldsAreHiddenUntilTheirDocumentIsIngestedAgain()
    {
        var index = await LegacyIndexWithOneChunkAsync();
        _service.SearchResults.Add(("old", 1.0));

        // No aclPublic: no caller may read it (the index cannot know what its ACL would have been).
        Assert.Empty(await SearchAsync(index, text: "bees"));
        Assert.Empty(await SearchAsync(index, text: "bees", caller: Caller.InGroups(["staff"])));

        var change = await index.ReplaceDocumentAsync("doc.md", [Cited("doc.md", "old", 0, Metadata("doc.md", title: "Bees"), "bees")], _ct);

        // Kept chunk, no hash read back: its metadata is merged (without the vector), and it becomes visible.
        Assert.Equal(new IndexChange(0, 0, 1), change);
        var merge = Assert.Single(_service.IndexBatches.Single().Json["value"]!.AsArray())!;
        Assert.Equal("merge", (string?)merge["@search.action"]);
        Assert.False(merge.AsObject().ContainsKey("vector"));
        Assert.Equal("Bees", Assert.Single(await SearchAsync(index, text: "bees")).Document.Title);
    }

    [Fact]
    public async Task AddingFieldsAfterAnotherInstanceDidRereadsTheIndexAndStops()
    {
        await Create().InitializeAsync(Encoder, _ct);
        var complete = _service.IndexDefinition!.DeepClone().AsObject();
        var fields = _service.IndexDefinition!["fields"]!.AsArray();
        foreach (var field in fields.Where(f => MetadataFieldNames.Contains((string?)f!["name"])).ToList())
        {
            fields.Remove(field);
        }
        _service.Faults.Add((request, _, _) =>
        {
            if (request.Method != "PUT")
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }
            // Another instance added the fields between our read and our write.
            _service.IndexDefinition = complete;
            return Task.FromResult<HttpResponseMessage?>(AzureAISearchRestApiFake.Error(HttpStatusCode.PreconditionFailed, "modified"));
        });
        _service.Requests.Clear();

        await Create().InitializeAsync(Encoder, _ct);

        Assert.Equal(["GET", "PUT", "GET"], _service.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task AMetadataFieldOfAnotherShapeIsRecreatedWhenEmptyAndRefusedWhenNot()
    {
        await Create().InitializeAsync(Encoder, _ct);
        _service.IndexDefinition!["fields"]!.AsArray().Single(f => (string?)f!["name"] == "tags")!["type"] = "Edm.String";
        _service.Documents["x"] = new JsonObject { ["id"] = "x", ["documentId"] = "d" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Create().InitializeAsync(Encoder, _ct));
        Assert.Contains("(tags)", error.Message, StringComparison.Ordinal);

        _service.Documents.Clear();
        _service.Requests.Clear();
        await Create().InitializeAsync(Encoder, _ct);
        Assert.Equal(["GET", "GET", "DELETE", "PUT"], _service.Requests.Select(r => r.Method));
        Assert.Equal("Collection(Edm.String)", (string?)_service.IndexDefinition!["fields"]!.AsArray().Single(f => (string?)f!["name"] == "tags")!["type"]);
    }

    // ---- Writes ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AnUploadCarriesEveryCitationFilterAndAccessField()
    {
        var index = await InitializedAsync();
        var metadata = Metadata("reports/2024/q1.pdf", title: "Q1 <report>", tags: ["finance", "o'brien"], acl: ["hr", "managers"],
            url: "https://blobs.example/docs/reports/2024/q1.pdf", modifiedAt: new DateTimeOffset(2024, 5, 1, 14, 30, 0, TimeSpan.FromHours(2)));

        await index.ReplaceDocumentAsync("reports/2024/q1.pdf", [Cited("reports/2024/q1.pdf", "c0", 0, metadata, "Revenue grew.", ["Results", "Revenue"], 3)], _ct);

        var upload = _service.IndexBatches.Single().Json["value"]![0]!.AsObject();
        upload.Remove("vector");
        var hash = (string)upload["metadataHash"]!;
        Assert.Equal(32, hash.Length);
        Assert.Equal(
            """{"@search.action":"upload","id":"c0","documentId":"reports/2024/q1.pdf","ordinal":0,"content":"Revenue grew.","title":"Q1 <report>","source":"reports/2024/q1.pdf","url":"https://blobs.example/docs/reports/2024/q1.pdf","contentType":"application/pdf","headings":["Results","Revenue"],"page":3,"modifiedAt":"2024-05-01T12:30:00+00:00","tags":["finance","o'brien"],"folders":["reports","reports/2024"],"type":"pdf","acl":["hr","managers"],"aclPublic":false,"metadataHash":"HASH"}""",
            upload.ToJsonString(Readable).Replace(hash, "HASH", StringComparison.Ordinal));

        // A document without ACL, url, time or page writes them as empty or null, and is public.
        await index.ReplaceDocumentAsync("notes.md", [Chunk("notes.md", "n0", 0)], _ct);
        var plain = _service.IndexBatches.Last().Json["value"]![0]!.AsObject();
        Assert.Equal("[]", plain["acl"]!.ToJsonString());
        Assert.True((bool)plain["aclPublic"]!);
        Assert.Null(plain["url"]);
        Assert.True(plain.ContainsKey("url") && plain.ContainsKey("page") && plain.ContainsKey("modifiedAt"));
        Assert.Equal("[]", plain["folders"]!.ToJsonString());
        Assert.Equal("md", (string?)plain["type"]);
    }

    [Fact]
    public async Task AKeptChunkWhoseMetadataChangedIsMergedWithoutTextOrVectorAndBumpsTheGeneration()
    {
        var index = await InitializedAsync();
        var before = Metadata("doc.md", title: "Old", tags: ["a"], url: "https://x/doc.md", modifiedAt: May1);
        await index.ReplaceDocumentAsync("doc.md", [Cited("doc.md", "k", 0, before, headings: ["H"], page: 2)], _ct);
        _service.Requests.Clear();

        var after = Metadata("doc.md", title: "New", tags: ["a", "b"], acl: ["hr"], url: null, modifiedAt: May1.AddDays(1));
        var change = await index.ReplaceDocumentAsync("doc.md", [Cited("doc.md", "k", 0, after, headings: ["H", "I"], page: null)], _ct);

        // Nothing added or removed, but the generation moves: cached answers may show the old title or reach the old readers.
        Assert.Equal(new IndexChange(0, 0, 2), change);
        var merge = _service.IndexBatches.Single().Json["value"]!.AsArray().Single()!.AsObject();
        Assert.Equal("merge", (string?)merge["@search.action"]);
        Assert.Equal(
            ["@search.action", "id", "ordinal", "title", "source", "url", "contentType", "headings", "page", "modifiedAt", "tags", "folders", "type", "acl", "aclPublic", "metadataHash"],
            merge.Select(p => p.Key));
        // Explicit nulls: a merge leaves out fields alone, so a url or page that is gone must be cleared.
        Assert.Null(merge["url"]);
        Assert.Null(merge["page"]);
        var stored = _service.Documents["k"];
        Assert.Equal("New", (string?)stored["title"]);
        Assert.Equal("""["hr"]""", stored["acl"]!.ToJsonString());
        Assert.False((bool)stored["aclPublic"]!);
        Assert.Null(stored["url"]);
        Assert.Equal(4, stored["vector"]!.AsArray().Count);

        // The same metadata again: nothing written, the generation stays.
        _service.Requests.Clear();
        Assert.Equal(new IndexChange(0, 0, 2), await index.ReplaceDocumentAsync("doc.md", [Cited("doc.md", "k", 0, after, headings: ["H", "I"])], _ct));
        Assert.Empty(_service.IndexBatches);
    }

    [Fact]
    public async Task MetadataMergesThatFailOneByOneAreRetriedAlone()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("doc.md", [Chunk("doc.md", "k0", 0), Chunk("doc.md", "k1", 1)], _ct);
        _service.Requests.Clear();
        _service.ItemStatuses["k1"] = new([503]);

        var retagged = Metadata("doc.md", tags: ["new"]);
        await index.ReplaceDocumentAsync("doc.md", [Cited("doc.md", "k0", 0, retagged), Cited("doc.md", "k1", 1, retagged)], _ct);

        Assert.Equal([["k0", "k1"], ["k1"]], _service.IndexBatches.Select(r => r.Json["value"]!.AsArray().Select(a => (string)a!["id"]!).ToList()));
        Assert.All(_service.Documents.Values, d => Assert.Equal("""["new"]""", d["tags"]!.ToJsonString()));
    }

    // ---- Filters -----------------------------------------------------------------------------------------------

    [Fact]
    public void EachFilterIsTheODataSearchFilterCreateProduces()
    {
        string Filter(SearchFilters filters) => AzureAISearchQuery.Filter(filters, Caller.Anonymous);
        var after = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var before = new DateTimeOffset(2024, 6, 1, 2, 0, 0, TimeSpan.FromHours(2));

        Assert.Equal("aclPublic eq true", Filter(SearchFilters.None));
        Assert.Equal("aclPublic eq true and tags/any(t: t eq 'x') and tags/any(t: t eq 'y')", Filter(new(["x", "y"])));
        Assert.Equal("aclPublic eq true and folders/any(f: f eq 'a/b')", Filter(new([], Folder: "a/b")));
        Assert.Equal("aclPublic eq true and type eq 'pdf'", Filter(new([], Type: "pdf")));
        Assert.Equal("aclPublic eq true and modifiedAt ge 2024-05-01T00:00:00.0000000+00:00", Filter(new([], ModifiedAfter: after)));
        // Times go out in UTC.
        Assert.Equal("aclPublic eq true and modifiedAt lt 2024-06-01T00:00:00.0000000+00:00", Filter(new([], ModifiedBefore: before)));
        Assert.Equal(
            "aclPublic eq true and tags/any(t: t eq 'x') and folders/any(f: f eq 'a') and type eq 'md' and modifiedAt ge 2024-05-01T00:00:00.0000000+00:00 and modifiedAt lt 2024-06-01T00:00:00.0000000+00:00",
            Filter(new(["x"], "a", "md", after, before)));
        // Every condition is exactly what SearchFilter.Create makes of it.
        Assert.Equal(SearchFilter.Create($"modifiedAt ge {after}", CultureInfo.InvariantCulture), Filter(new([], ModifiedAfter: after))["aclPublic eq true and ".Length..]);
        Assert.Equal(SearchFilter.Create($"tags/any(t: t eq {"x"})", CultureInfo.InvariantCulture), Filter(new(["x"]))["aclPublic eq true and ".Length..]);
    }

    [Theory]
    [InlineData("O'Brien", "'O''Brien'")]
    [InlineData("') or true or ('", "''') or true or ('''")]
    [InlineData("*", "'*'")]
    [InlineData("search.in", "'search.in'")]
    [InlineData("x' or aclPublic eq false or tags/any(t: t eq 'y", "'x'' or aclPublic eq false or tags/any(t: t eq ''y'")]
    public async Task AHostileFilterValueStaysOneLiteralAndNeverWidensTheMatch(string value, string literal)
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("a/plain.md", [Cited("a/plain.md", "plain", 0, Metadata("a/plain.md", tags: ["y"]))], _ct);
        await index.ReplaceDocumentAsync($"{value}/carrier.md", [Cited($"{value}/carrier.md", "carrier", 0, Metadata($"{value}/carrier.md", tags: [value]))], _ct);
        _service.SearchResults.AddRange([("plain", 2.0), ("carrier", 1.0)]);

        var byTag = await SearchAsync(index, filters: new([value]));
        Assert.Equal($"aclPublic eq true and tags/any(t: t eq {literal})", (string?)LastSearch["filter"]);
        Assert.Equal(["carrier"], byTag.Select(h => h.ChunkId));

        var byFolder = await SearchAsync(index, filters: new([], Folder: value));
        Assert.Equal($"aclPublic eq true and folders/any(f: f eq {literal})", (string?)LastSearch["filter"]);
        Assert.Equal(["carrier"], byFolder.Select(h => h.ChunkId));

        Assert.Empty(await SearchAsync(index, filters: new([], Type: value)));
        Assert.Equal($"aclPublic eq true and type eq {literal}", (string?)LastSearch["filter"]);
    }

    [Fact]
    public async Task FiltersNarrowKeywordVectorAndHybridQueriesAlike()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("a/b/new.pdf", [Cited("a/b/new.pdf", "new", 0, Metadata("a/b/new.pdf", tags: ["x", "y"], modifiedAt: May1))], _ct);
        await index.ReplaceDocumentAsync("a/bc/old.pdf", [Cited("a/bc/old.pdf", "old", 0, Metadata("a/bc/old.pdf", tags: ["x"], modifiedAt: May1.AddYears(-1)))], _ct);
        await index.ReplaceDocumentAsync("a/b/notes.md", [Cited("a/b/notes.md", "md", 0, Metadata("a/b/notes.md", tags: ["x", "y"]))], _ct);
        _service.SearchResults.AddRange([("old", 0.9), ("md", 0.8), ("new", 0.7)]);

        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            Assert.Equal(["new"], (await SearchAsync(index, mode, filters: new(["x", "y"], Type: "pdf"))).Select(h => h.ChunkId));
            // Whole path segments: "a/b" holds a/b/new.pdf, not a/bc/old.pdf.
            Assert.Equal(["md", "new"], (await SearchAsync(index, mode, filters: new([], Folder: "a/b"))).Select(h => h.ChunkId));
            Assert.Equal(["new"], (await SearchAsync(index, mode, filters: new([], ModifiedAfter: May1))).Select(h => h.ChunkId));
            // A document without a time matches neither bound.
            Assert.Equal(["old"], (await SearchAsync(index, mode, filters: new([], ModifiedBefore: May1))).Select(h => h.ChunkId));
            var body = LastSearch;
            if (mode == RetrievalMode.Keyword)
            {
                Assert.False(body.ContainsKey("vectorFilterMode"));
            }
            else
            {
                // The k nearest among the chunks that pass the filter, so a narrow filter still fills the page.
                Assert.Equal("preFilter", (string?)body["vectorFilterMode"]);
            }
        }
    }

    // ---- Access trimming ---------------------------------------------------------------------------------------

    private async Task<AzureAISearchIndex> IndexWithAclsAsync()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("public.md", [Cited("public.md", "public", 0, Metadata("public.md"))], _ct);
        await index.ReplaceDocumentAsync("hr.md", [Cited("hr.md", "hr", 0, Metadata("hr.md", acl: ["hr"]))], _ct);
        await index.ReplaceDocumentAsync("eng.md", [Cited("eng.md", "eng", 0, Metadata("eng.md", acl: ["eng", "staff"]))], _ct);
        await index.ReplaceDocumentAsync("split.md", [Cited("split.md", "split", 0, Metadata("split.md", acl: ["a"]))], _ct);
        _service.SearchResults.AddRange([("public", 4.0), ("hr", 3.0), ("eng", 2.0), ("split", 1.0)]);
        return index;
    }

    [Fact]
    public async Task AnAnonymousCallerSeesOnlyDocumentsWithoutAnAcl()
    {
        var index = await IndexWithAclsAsync();

        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            Assert.Equal(["public"], (await SearchAsync(index, mode)).Select(h => h.ChunkId));
            Assert.Equal("aclPublic eq true", (string?)LastSearch["filter"]);
        }
    }

    [Fact]
    public async Task AGroupCallerSeesPublicDocumentsAndThoseOfItsGroups()
    {
        var index = await IndexWithAclsAsync();

        var hits = await SearchAsync(index, RetrievalMode.Hybrid, caller: Caller.InGroups(["staff", "eng"]));

        Assert.Equal("(aclPublic eq true or acl/any(g: search.in(g, 'eng|staff', '|')))", (string?)LastSearch["filter"]);
        Assert.Equal(["public", "eng"], hits.Select(h => h.ChunkId));
        // Hits never carry the groups.
        Assert.All(hits, h => Assert.Empty(h.Document.Acl));
        Assert.DoesNotContain("acl", ((string?)LastSearch["select"])!.Split(','));
    }

    [Fact]
    public async Task AGroupContainingTheDelimiterGetsAnotherDelimiterAndNeverSplits()
    {
        var index = await IndexWithAclsAsync();

        // "a|b" must not become groups "a" and "b": the split.md chunk (ACL "a") stays hidden.
        var hits = await SearchAsync(index, caller: Caller.InGroups(["a|b", "hr"]));
        Assert.Equal("(aclPublic eq true or acl/any(g: search.in(g, 'a|b,hr', ',')))", (string?)LastSearch["filter"]);
        Assert.Equal(["public", "hr"], hits.Select(h => h.ChunkId));

        // Every candidate delimiter taken: one eq per group.
        hits = await SearchAsync(index, caller: Caller.InGroups(["a|,;~^\u001f", "O'Brien"]));
        Assert.Equal("(aclPublic eq true or acl/any(g: g eq 'O''Brien' or g eq 'a|,;~^\u001f'))", (string?)LastSearch["filter"]);
        Assert.Equal(["public"], hits.Select(h => h.ChunkId));
    }

    [Theory]
    [InlineData("') or true or ('")]
    [InlineData("hr' or aclPublic eq false or acl/any(x: x eq 'eng")]
    [InlineData("eng', 'eng")]
    public async Task AGroupCraftedAsODataNeverWidensAccess(string group)
    {
        var index = await IndexWithAclsAsync();

        var hits = await SearchAsync(index, caller: Caller.InGroups([group]));

        Assert.Equal($"(aclPublic eq true or acl/any(g: search.in(g, '{group.Replace("'", "''", StringComparison.Ordinal)}', '|')))", (string?)LastSearch["filter"]);
        Assert.Equal(["public"], hits.Select(h => h.ChunkId));
    }

    // ---- Highlights --------------------------------------------------------------------------------------------

    [Fact]
    public async Task HighlightsAreAskedForWithMarkersNoTextHoldsAndArriveEscaped()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("x.html", [Cited("x.html", "x", 0, Metadata("x.html"), "<script>alert('bees')</script> Bees & honey")], _ct);
        _service.SearchResults.Add(("x", 1.0));

        var hit = Assert.Single(await SearchAsync(index, RetrievalMode.Hybrid, text: "bees"));

        var body = LastSearch;
        Assert.Equal("content-3", (string?)body["highlight"]);
        Assert.Equal("\uFDD0", (string?)body["highlightPreTag"]);
        Assert.Equal("\uFDD1", (string?)body["highlightPostTag"]);
        Assert.Equal("content", (string?)body["searchFields"]);
        // The service marked "bees" inside the script too: it comes back as escaped text with <em>, never as a tag.
        Assert.Equal(["&lt;script&gt;alert(&#39;<em>bees</em>&#39;)&lt;/script&gt; <em>Bees</em> &amp; honey"], hit.Highlights);
    }

    [Fact]
    public async Task ServiceFragmentsAreCappedAtThreeAndStrayMarkersNeverBecomeMarkup()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("x.md", [Cited("x.md", "x", 0, Metadata("x.md"), "whatever")], _ct);
        _service.SearchResults.Add(("x", 1.0));
        _service.Highlights["x"] = ["\uFDD0one\uFDD1 <b>", "two \uFDD1</em>\uFDD0", "<em>three</em>", "four"];

        var hit = Assert.Single(await SearchAsync(index, text: "one"));

        Assert.Equal(["<em>one</em> &lt;b&gt;", "two &lt;/em&gt;", "&lt;em&gt;three&lt;/em&gt;"], hit.Highlights);
    }

    [Fact]
    public async Task PureVectorHitsGetLocalHighlightsOfTheQueryWordsEscapedTheSameWay()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("x.md", [Cited("x.md", "x", 0, Metadata("x.md"), "<b>Bees</b> make honey; the beekeeper & the bees.")], _ct);
        await index.ReplaceDocumentAsync("y.md", [Cited("y.md", "y", 0, Metadata("y.md"), "Pollinators in spring.")], _ct);
        _service.SearchResults.AddRange([("x", 0.9), ("y", 0.8)]);

        var hits = await SearchAsync(index, RetrievalMode.Vector, text: "the bees' <honey>");

        // The service gets no text, so nothing to highlight with: the words are matched here, whole and ignoring case.
        Assert.False(LastSearch.ContainsKey("highlight"));
        Assert.Equal(["&lt;b&gt;<em>Bees</em>&lt;/b&gt; make <em>honey</em>; the beekeeper &amp; the <em>bees</em>."], hits[0].Highlights);
        // Similar in meaning only: no highlights rather than a guess.
        Assert.Empty(hits[1].Highlights);
    }

    // ---- Paging and results ------------------------------------------------------------------------------------

    [Theory]
    // Keyword: the service orders by score then id, so its own skip and top page exactly.
    [InlineData(RetrievalMode.Keyword, 0, 5, 5, null, null)]
    [InlineData(RetrievalMode.Keyword, 1000, 50, 50, 1000, null)]
    // Vector and hybrid: every hit to the end of the page plus one; hybrid k at least the candidate depth, never the extra one.
    [InlineData(RetrievalMode.Vector, 20, 10, 31, null, 31)]
    [InlineData(RetrievalMode.Hybrid, 20, 10, 31, null, 50)]
    [InlineData(RetrievalMode.Hybrid, 100, 10, 111, null, 110)]
    [InlineData(RetrievalMode.Vector, 1000, 50, 1051, null, 1051)]
    public async Task AQueryAsksForWhatItsPageNeeds(RetrievalMode mode, int skip, int top, int expectedTop, int? expectedSkip, int? expectedK)
    {
        var index = await InitializedAsync();

        await SearchAsync(index, mode, top, skip);

        var body = LastSearch;
        Assert.Equal(expectedTop, (int)body["top"]!);
        Assert.Equal(expectedSkip, (int?)body["skip"]);
        Assert.Equal(expectedK, (int?)body["vectorQueries"]?[0]?["k"]);
    }

    [Theory]
    [InlineData(RetrievalMode.Keyword)]
    [InlineData(RetrievalMode.Vector)]
    [InlineData(RetrievalMode.Hybrid)]
    public async Task EqualScoresAreOrderedByChunkIdSoPagesConcatenate(RetrievalMode mode)
    {
        var index = await InitializedAsync();
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f" })
        {
            await index.ReplaceDocumentAsync($"{id}.md", [Cited($"{id}.md", id, 0, Metadata($"{id}.md"))], _ct);
        }
        // The service's order among equal scores is its own (here: not by id).
        _service.SearchResults.AddRange([("f", 0.9), ("d", 0.5), ("b", 0.5), ("e", 0.5), ("a", 0.5), ("c", 0.1)]);

        var all = await SearchAsync(index, mode, top: 6);
        var pages = new List<SearchHit>();
        for (var skip = 0; skip < 6; skip += 2)
        {
            pages.AddRange(await SearchAsync(index, mode, top: 2, skip: skip));
        }

        Assert.Equal(["f", "a", "b", "d", "e", "c"], all.Select(h => h.ChunkId));
        Assert.Equal(all.Select(h => h.ChunkId), pages.Select(h => h.ChunkId));
        if (mode == RetrievalMode.Keyword)
        {
            // The service itself orders equal scores by id and skips.
            Assert.Equal("search.score() desc,id asc", (string?)LastSearch["orderby"]);
        }
        else
        {
            Assert.False(LastSearch.ContainsKey("orderby"));
            // The first page: three hits asked for, the extra one tied with the second, so the window was doubled.
            var firstPage = Queries.Skip(1).Take(2).Select(q => (int)q["top"]!).ToList();
            Assert.Equal([3, 6], firstPage);
        }
    }

    [Fact]
    public async Task AWindowWhoseEndIsStillTiedAfterTheWideningsIsUsedAsItIs()
    {
        var index = await InitializedAsync();
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n" })
        {
            await index.ReplaceDocumentAsync($"{id}.md", [Cited($"{id}.md", id, 0, Metadata($"{id}.md"))], _ct);
            _service.SearchResults.Insert(0, (id, 0.5));
        }

        var hits = await SearchAsync(index, RetrievalMode.Hybrid, top: 1);

        // 2, 4, 8 hits asked for, every one tied: stop there rather than read the whole index.
        Assert.Equal([2, 4, 8], Queries.Select(q => (int)q["top"]!));
        Assert.Equal(["g"], hits.Select(h => h.ChunkId));
    }

    [Fact]
    public async Task AHitCarriesItsCitationButNeitherTheVectorNorTheAcl()
    {
        var index = await InitializedAsync();
        var metadata = Metadata("guides/setup.pdf", title: "Setup guide", tags: ["ops"], acl: ["ops"], url: "https://blobs.example/guides/setup.pdf", modifiedAt: May1);
        await index.ReplaceDocumentAsync("guides/setup.pdf", [Cited("guides/setup.pdf", "s0", 0, metadata, "Install it.", ["Setup", "Install"], 4)], _ct);
        _service.SearchResults.Add(("s0", 1 / (1 + (1 - 0.9))));

        var hit = Assert.Single(await SearchAsync(index, RetrievalMode.Vector, caller: Caller.InGroups(["ops"])));

        Assert.Equal(metadata with { Acl = [] }, hit.Document);
        Assert.Equal("Setup guide", hit.Document.Title);
        Assert.Equal("application/pdf", hit.Document.ContentType);
        Assert.Equal(May1, hit.Document.ModifiedAt);
        Assert.Equal(["Setup", "Install"], hit.Headings);
        Assert.Equal(4, hit.Page);
        Assert.Equal(0.9, hit.Score, 6);
        Assert.Equal(
            "id,documentId,content,title,source,url,contentType,headings,page,modifiedAt,tags",
            (string?)LastSearch["select"]);
    }

    [Fact]
    public async Task TheStandInRefusesWhatTheServiceRefuses()
    {
        await Create().InitializeAsync(Encoder, _ct);
        var client = new SearchClient(new Uri("https://search.example/"), "chunks", new AzureKeyCredential("key"),
            new SearchClientOptions { Transport = new Azure.Core.Pipeline.HttpClientTransport(new HttpClient(_service, disposeHandler: false)), Retry = { MaxRetries = 0 } });

        async Task<int> StatusOf(SearchOptions options)
        {
            var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SearchAsync<SearchChunkDocument>("x", options, _ct));
            return error.Status;
        }

        Assert.Equal(400, await StatusOf(new SearchOptions { Select = { "id", "nope" } }));
        Assert.Equal(400, await StatusOf(new SearchOptions { Select = { "id", "acl" } }));
        Assert.Equal(400, await StatusOf(new SearchOptions { Filter = "title eq 'x'" }));
        Assert.Equal(400, await StatusOf(new SearchOptions { Filter = "tags eq 'x'" }));
        Assert.Equal(400, await StatusOf(new SearchOptions { Filter = "type eq 'x' or" }));
        Assert.Equal(400, await StatusOf(new SearchOptions { OrderBy = { "title" } }));
        Assert.Equal(400, await StatusOf(new SearchOptions { HighlightFields = { "tags" } }));
        Assert.Equal(400, await StatusOf(new SearchOptions { SearchFields = { "url" } }));
    }
}
