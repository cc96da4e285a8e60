namespace SemanticSearch.Infra.Tests;

/// <summary>Compiles infra/main.bicep once (bicep build --stdout) for every test that reads the ARM JSON.</summary>
public sealed class CompiledTemplateFixture
{
    private readonly Lazy<(BicepResult Build, ArmTemplate? Template)> compiled = new(Compile);

    internal BicepResult Build => compiled.Value.Build;

    internal ArmTemplate Template => compiled.Value.Template
        ?? throw new InvalidOperationException($"infra/main.bicep did not compile:\n{Build.Errors}");

    private static (BicepResult, ArmTemplate?) Compile()
    {
        var build = BicepCli.Run("build", Path.Combine("infra", "main.bicep"), "--stdout");
        return (build, build.ExitCode == 0 ? ArmTemplate.Parse(build.Output) : null);
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledTemplateGroup : ICollectionFixture<CompiledTemplateFixture>
{
    public const string Name = "compiled main.bicep";
}
