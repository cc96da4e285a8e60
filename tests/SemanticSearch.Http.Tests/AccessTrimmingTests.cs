using System.Net;
using System.Text;
using System.Text.Json;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Http.Tests;

/// <summary>
/// A document with an ACL reaches only callers in one of its groups, read from <c>X-MS-CLIENT-PRINCIPAL</c> — and the
/// result cache never hands a privileged caller's answer to a caller with fewer rights.
/// </summary>
public sealed class AccessTrimmingTests
{
    private const string Query = "/api/search?q=salary+bands+review&mode=keyword&top=5";

    private static readonly Dictionary<string, string?> Trusted = new() { ["Http:ClientPrincipal"] = "Trusted" };

    [Fact]
    public async Task TheSameQueryByAnHrCallerThenAnAnonymousOneNeverLeaksTheHrAnswerThroughTheCache()
    {
        await using var server = await StartWithDocumentsAsync(Trusted);

        var hr = await SearchAsync(server, Principal("groups", "hr"));
        var anonymous = await SearchAsync(server, principal: null);
        var hrAgain = await SearchAsync(server, Principal("groups", "hr"));
        var anonymousAgain = await SearchAsync(server, principal: null);

        Assert.Equal(["hr/salaries.md", "public/handbook.md"], hr.Documents);
        Assert.Equal("miss", hr.Cache);
        Assert.Equal(["public/handbook.md"], anonymous.Documents);
        Assert.Equal("miss", anonymous.Cache); // a different caller is a different cache entry, not a filtered hit
        Assert.Equal(hr.Documents, hrAgain.Documents);
        Assert.Equal("hit", hrAgain.Cache);
        Assert.Equal(anonymous.Documents, anonymousAgain.Documents);
        Assert.Equal("hit", anonymousAgain.Cache);
    }

    [Fact]
    public async Task ARoleClaimGrantsLikeAGroupAndAnUnrelatedGroupSeesOnlyWhatIsPublic()
    {
        await using var server = await StartWithDocumentsAsync(Trusted);

        Assert.Equal(["hr/salaries.md", "public/handbook.md"], (await SearchAsync(server, Principal("roles", "hr"))).Documents);
        Assert.Equal(["public/handbook.md"], (await SearchAsync(server, Principal("groups", "finance"))).Documents);
    }

    [Fact]
    public async Task WhenTheHeaderIsNotTrustedEveryCallerIsAnonymous()
    {
        await using var server = await StartWithDocumentsAsync(new() { ["Http:ClientPrincipal"] = "Ignored" });

        Assert.Equal(["public/handbook.md"], (await SearchAsync(server, Principal("groups", "hr"))).Documents);
    }

    [Fact]
    public async Task OutsideAppServiceAuthenticationAutoIgnoresTheHeader()
    {
        // Auto trusts the header only when WEBSITE_AUTH_ENABLED says the platform strips callers' own copies.
        await using var server = await StartWithDocumentsAsync(new() { ["Http:ClientPrincipal"] = "Auto", ["WEBSITE_AUTH_ENABLED"] = "False" });

        Assert.Equal(["public/handbook.md"], (await SearchAsync(server, Principal("groups", "hr"))).Documents);
    }

    [Fact]
    public async Task ATrustedHeaderThatCannotBeReadIsA400NamingTheHeader()
    {
        await using var server = await StartWithDocumentsAsync(Trusted);
        using var request = new HttpRequestMessage(HttpMethod.Get, Query);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", "not base64 json");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("X-MS-CLIENT-PRINCIPAL", out _));
    }

    private static async Task<ApiHarness> StartWithDocumentsAsync(Dictionary<string, string?> settings)
    {
        var server = await ApiHarness.StartAsync(settings);
        Assert.Equal(IngestionOutcome.Indexed, (await server.IngestAsync("hr/salaries.md", "---\ntitle: Salary bands\nacl: [hr]\n---\n# Salary bands\n\nThe salary bands review happens every spring.\n")).Outcome);
        Assert.Equal(IngestionOutcome.Indexed, (await server.IngestAsync("public/handbook.md", "# Handbook\n\nEveryone may read how the salary bands review is scheduled.\n")).Outcome);
        return server;
    }

    private static string Principal(string claimType, string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$"""{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"someone"},{"typ":"{{claimType}}","val":"{{value}}"}]}"""));

    private static async Task<(string[] Documents, string Cache)> SearchAsync(ApiHarness server, string? principal)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Query);
        if (principal is not null)
        {
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        }
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var documents = body.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("documentId").GetString()!).Distinct().Order(StringComparer.Ordinal).ToArray();
        return (documents, body.RootElement.GetProperty("cache").GetString()!);
    }
}
