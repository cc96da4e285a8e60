using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// The postdeploy hook waits long enough for the host's blobs_extension key on a first deployment, shows its progress,
/// and when it gives up says what to run next (issue 14). The sh and ps1 twins keep the same budget and the same words.
/// Text-level checks: neither the Azure CLI nor PowerShell runs on these machines.
/// </summary>
public sealed partial class PostdeployHookTests
{
    /// <summary>A first Flex deployment can take several minutes before the host has loaded the Event Grid blob trigger.</summary>
    private static readonly TimeSpan MinimumKeyWait = TimeSpan.FromMinutes(10);

    private static string Sh => Repository.ReadText("infra", "scripts", "create-blob-created-subscription.sh");

    private static string Ps1 => Repository.ReadText("infra", "scripts", "create-blob-created-subscription.ps1");

    [Fact]
    public void KeyWait_LastsAtLeastTenMinutes_InBothScripts()
    {
        var sh = (Attempts: ShDefault("BLOB_KEY_ATTEMPTS", "key_attempts"), Wait: ShDefault("BLOB_KEY_WAIT_SECONDS", "wait_seconds"));
        var ps1 = (Attempts: Ps1Default("BLOB_KEY_ATTEMPTS"), Wait: Ps1Default("BLOB_KEY_WAIT_SECONDS"));

        Assert.Equal(sh, ps1);
        Assert.True(TimeSpan.FromSeconds(sh.Attempts * sh.Wait) >= MinimumKeyWait,
            $"{sh.Attempts} attempts × {sh.Wait} s is less than {MinimumKeyWait.TotalMinutes} minutes");
    }

    [Fact]
    public void KeyWait_ReportsAttemptAndElapsedTime_InBothScripts()
    {
        Assert.Contains("attempt ${attempt} of ${key_attempts}, ${elapsed} s elapsed", Sh, StringComparison.Ordinal);
        Assert.Contains("attempt $attempt of $keyAttempts, $elapsed s elapsed", Ps1, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azd hooks run postdeploy")]
    [InlineData("az functionapp keys list")]
    [InlineData("--query \"systemKeys.blobs_extension != null\"")]
    [InlineData("az functionapp function list")]
    [InlineData("BLOB_KEY_ATTEMPTS=")]
    public void GivingUp_SaysWhatToRunNext_InBothScripts(string advice)
    {
        Assert.Contains(advice, GiveUpText(Sh), StringComparison.Ordinal);
        Assert.Contains(advice, GiveUpText(Ps1), StringComparison.Ordinal);
    }

    [Fact]
    public void Advice_NeverPrintsTheKey()
    {
        // The suggested check answers true/false; the key itself stays out of the terminal and the logs.
        Assert.DoesNotContain("--query systemKeys.blobs_extension -o tsv", Sh, StringComparison.Ordinal);
        Assert.DoesNotContain("--query \"systemKeys.blobs_extension\" --output tsv\" ", Sh, StringComparison.Ordinal);
        Assert.DoesNotContain("Write-Host $key", Ps1, StringComparison.Ordinal);
        Assert.DoesNotContain("echo \"$key\"", Sh, StringComparison.Ordinal);
    }

    /// <summary>The lines between the give-up check and the exit (sh) or the throw (ps1).</summary>
    private static string GiveUpText(string script)
    {
        var match = GiveUpBlock().Match(script);
        Assert.True(match.Success, "the script has no give-up block (attempt >= attempts ... exit/throw)");
        return match.Value;
    }

    private static int ShDefault(string variable, string name)
    {
        var match = Regex.Match(Sh, $@"(?m)^{name}=""\$\{{{variable}:-(?<value>\d+)\}}""$");
        Assert.True(match.Success, $"the sh script does not set {name} from {variable} with a default");
        return int.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Ps1Default(string variable)
    {
        var match = Regex.Match(Ps1, $@"if \(\$env:{variable}\) \{{ \[int\]\$env:{variable} \}} else \{{ (?<value>\d+) \}}");
        Assert.True(match.Success, $"the ps1 script does not read {variable} with a default");
        return int.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?s)if (?:\[ ""\$attempt"" -ge ""\$key_attempts"" \]|\(\$attempt -ge \$keyAttempts\)).*?(?:exit 1|throw [^\n]*)")]
    private static partial Regex GiveUpBlock();
}
