namespace SemanticSearch.Infra.Tests;

/// <summary>The templates compile and lint clean with the pinned CLI and infra/bicepconfig.json (every rule an error).</summary>
[Collection(CompiledTemplateGroup.Name)]
public sealed class CompilationTests(CompiledTemplateFixture compiled)
{
    [Fact]
    public void MainTemplateCompilesWithoutAnyDiagnostic()
    {
        Assert.True(compiled.Build.ExitCode == 0, $"bicep build failed:\n{compiled.Build.Errors}");
        Assert.DoesNotMatch(BicepCli.DiagnosticLine(), compiled.Build.Errors);
        Assert.Equal("subscriptionDeploymentTemplate.json#", compiled.Template.Root["$schema"]!.GetValue<string>().Split('/')[^1]);
    }

    [Fact]
    public void EveryBicepFileLintsClean()
    {
        var lint = BicepCli.Run("lint", "--pattern", "infra/**/*.bicep");

        Assert.True(lint.ExitCode == 0 && lint.Diagnostics.Count == 0, $"bicep lint reported:\n{lint.Output}\n{lint.Errors}");
    }

    [Fact]
    public void LinterConfigurationRaisesEveryRuleToError()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(Repository.ReadText("infra", "bicepconfig.json"))!;
        var core = config["analyzers"]!["core"]!;
        var rules = core["rules"]!.AsObject();

        Assert.True(core["enabled"]!.GetValue<bool>());
        Assert.True(rules.Count >= 50, $"only {rules.Count} rules are configured");
        Assert.All(rules, rule => Assert.Equal("error", (string?)rule.Value!["level"]));
    }
}
