using System.Text.Json.Nodes;

namespace SemanticSearch.Infra.Tests;

/// <summary>Lookups shared by the tests: the function app's settings, module inputs, one resource of a type.</summary>
internal static class TemplateFacts
{
    public static ArmResource AppSettingsResource(this ArmTemplate template)
    {
        var configs = template.OfType("Microsoft.Web/sites/config")
            .Where(r => r.NameExpression?.Contains("'appsettings'", StringComparison.Ordinal) == true
                || r.NameExpression?.EndsWith("/appsettings", StringComparison.Ordinal) == true)
            .ToArray();
        return Assert.Single(configs);
    }

    /// <summary>App setting name → its expression as compiled.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> AppSettings(this ArmTemplate template) =>
        template.AppSettingsResource().Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>App setting name → its literal value, or null when it is computed at deployment time.</summary>
    public static string? AppSettingValue(this ArmTemplate template, string name)
    {
        var resource = template.AppSettingsResource();
        Assert.True(resource.Properties.ContainsKey(name), $"the template does not set {name}");
        return resource.ResolveString(resource.Properties[name]);
    }

    public static ArmResource Single(this ArmTemplate template, string type) => Assert.Single(template.OfType(type));

    /// <summary>The literal value of a module parameter, following parameters and variables up to main.</summary>
    public static JsonNode? ModuleInput(this ArmTemplate template, string module, string parameter) =>
        template.Module(module).ResolveParameter(parameter);

    /// <summary>
    /// The role definition GUID a role assignment grants: written in its roleDefinitionId, or in the variable
    /// (of the assignment's own template) that the expression names.
    /// </summary>
    public static string RoleDefinitionGuid(this ArmResource assignment)
    {
        var expression = (string?)assignment.Properties["roleDefinitionId"] ?? string.Empty;
        var literal = System.Text.RegularExpressions.Regex.Match(expression, @"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        if (literal.Success)
        {
            return literal.Value.ToLowerInvariant();
        }

        var variable = System.Text.RegularExpressions.Regex.Match(expression, @"variables\('(?<name>[^']+)'\)");
        return variable.Success
            ? ((string?)assignment.Scope.Template["variables"]?[variable.Groups["name"].Value])?.ToLowerInvariant() ?? string.Empty
            : string.Empty;
    }

    public static string[] StringArray(JsonNode? node) =>
        node?.AsArray().Select(n => (string?)n ?? string.Empty).ToArray() ?? [];
}
