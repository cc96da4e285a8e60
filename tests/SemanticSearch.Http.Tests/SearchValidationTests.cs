using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SemanticSearch.Http.Tests;

/// <summary>Every way a caller can get a search wrong is a 400 <c>application/problem+json</c> whose <c>errors</c> name the parameter.</summary>
public sealed class SearchValidationTests
{
    [Theory]
    [InlineData("/api/search", "q")]
    [InlineData("/api/search?q=%20%20", "q")]
    [InlineData("/api/search?q=bees&top=0", "top")]
    [InlineData("/api/search?q=bees&top=51", "top")]
    [InlineData("/api/search?q=bees&top=ten", "top")]
    [InlineData("/api/search?q=bees&mode=semantic", "mode")]
    public async Task InvalidQueryParametersGetA400NamingTheParameter(string url, string parameter)
    {
        await using var server = await ApiHarness.StartAsync();

        using var response = await server.Client.GetAsync(new Uri(url, UriKind.Relative));

        await AssertProblemAsync(response, parameter);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsA413BeforeItIsParsed()
    {
        await using var server = await ApiHarness.StartAsync();
        var huge = "{\"q\": \"" + new string('a', (int)RequestLimits.MaxBodyBytes) + "\"}";

        using var content = new StringContent(huge, Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync(new Uri("/api/search", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/search?q=bees&skip=-1", "skip")]
    [InlineData("/api/search?q=bees&skip=1001", "skip")]
    [InlineData("/api/search?q=bees&tag=", "tag")]
    [InlineData("/api/search?q=bees&folder=../etc", "folder")]
    [InlineData("/api/search?q=bees&folder=a//b", "folder")]
    [InlineData("/api/search?q=bees&type=p.df", "type")]
    [InlineData("/api/search?q=bees&modifiedAfter=yesterday", "modifiedAfter")]
    [InlineData("/api/search?q=bees&modifiedBefore=2024-13-01", "modifiedBefore")]
    [InlineData("/api/search?q=bees&modifiedAfter=2024-05-01&modifiedBefore=2024-04-01", "modifiedBefore")]
    [InlineData("/api/documents?top=0", "top")]
    [InlineData("/api/documents?top=1001", "top")]
    [InlineData("/api/documents?continuationToken=not-ours", "continuationToken")]
    public async Task InvalidFiltersPagesAndTokensGetA400NamingTheParameter(string url, string parameter)
    {
        await using var server = await ApiHarness.StartAsync();

        using var response = await server.Client.GetAsync(new Uri(url, UriKind.Relative));

        await AssertProblemAsync(response, parameter);
    }

    [Fact]
    public async Task AnOverlongQueryGetsA400()
    {
        await using var server = await ApiHarness.StartAsync();

        using var response = await server.Client.GetAsync(new Uri("/api/search?q=" + new string('a', 1001), UriKind.Relative));

        await AssertProblemAsync(response, "q");
    }

    [Theory]
    [InlineData("{\"q\": \"bees\", \"top\": \"many\"}", "top")]
    [InlineData("{\"q\": \"bees\", \"top\": 2.5}", "top")]
    [InlineData("{\"top\": 3}", "q")]
    [InlineData("{\"q\": \"bees\", \"mode\": 7}", "mode")]
    [InlineData("{\"q\": \"bees\"", "body")]
    [InlineData("[\"bees\"]", "body")]
    [InlineData("", "body")]
    public async Task InvalidPostBodiesGetA400NamingTheParameter(string body, string parameter)
    {
        await using var server = await ApiHarness.StartAsync();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync(new Uri("/api/search", UriKind.Relative), content);

        await AssertProblemAsync(response, parameter);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string parameter)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), $"errors should name '{parameter}': {problem}");
        Assert.NotEmpty(messages.EnumerateArray());
    }
}
