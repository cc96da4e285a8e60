namespace SemanticSearch.ModelTools.Tests;

public sealed class ProgramTests
{
    [Fact]
    public void WithoutAVerbItPrintsUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, Program.Run([], output, error));
        Assert.Contains("quantize <float.onnx> <int8.onnx>", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingInputFailsWithItsPath()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "model.onnx");

        Assert.Equal(1, Program.Run(["quantize", missing, missing + ".int8"], output, error));
        Assert.Contains(missing, error.ToString(), StringComparison.Ordinal);
    }
}
