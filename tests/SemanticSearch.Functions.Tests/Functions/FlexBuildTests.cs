using System.Diagnostics;
using System.Text.Json;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// Flex Consumption supports only the Event Grid blob trigger: the package azd publishes for it (Release) must not
/// contain the polling one at all, while a local build (Debug, Core Tools with Azurite) keeps it. The test project
/// builds the app a second time as the Flex variant and reads that build's functions.metadata.
/// </summary>
public sealed class FlexBuildTests
{
    private static readonly string FlexFolder = Path.Combine(AppContext.BaseDirectory, "functions-app-flex");

    private static Dictionary<string, JsonElement> Functions(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "functions.metadata")));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }

    [Fact]
    public void TheFlexBuildHasNoPollingBlobTriggerAndKeepsTheEventGridOne()
    {
        var functions = Functions(FlexFolder);

        Assert.DoesNotContain("IngestBlob", functions.Keys);
        Assert.DoesNotContain(functions.Values, f => f.GetProperty("bindings").EnumerateArray()
            .Any(b => b.GetProperty("type").GetString() == "blobTrigger" && b.GetProperty("source").GetString() != "EventGrid"));
        var eventGrid = functions["IngestBlobEventGrid"].GetProperty("bindings").EnumerateArray().Single();
        Assert.Equal("EventGrid", eventGrid.GetProperty("source").GetString());
        Assert.Contains("Reconcile", functions.Keys);
        Assert.Contains("Search", functions.Keys);
    }

    [Fact]
    public void TheLocalBuildKeepsThePollingTriggerForAzurite()
    {
        var functions = Functions(Path.Combine(AppContext.BaseDirectory, "functions-app"));

        Assert.Equal("LogsAndContainerScan", functions["IngestBlob"].GetProperty("bindings").EnumerateArray().Single().GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("Release", null, "false")]
    [InlineData("Debug", null, "true")]
    [InlineData("Release", "true", "true")]
    public async Task ReleaseBuildsWhichAzdPublishesLeaveThePollingTriggerOutUnlessAskedFor(string configuration, string? asked, string expected)
    {
        var project = RepositoryRoot.File("functions/SemanticSearch.Functions/SemanticSearch.Functions.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "msbuild", project, "-getProperty:IncludePollingBlobTrigger", $"-p:Configuration={configuration}" })
        {
            start.ArgumentList.Add(argument);
        }
        if (asked is not null)
        {
            start.ArgumentList.Add($"-p:IncludePollingBlobTrigger={asked}");
        }
        // The test host's own MSBuild variables would point the child at the test's SDK resolution.
        foreach (var name in new[] { "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error + output);
        Assert.Equal(expected, output.Trim());
    }
}
