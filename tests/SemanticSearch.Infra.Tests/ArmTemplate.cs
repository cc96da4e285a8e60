using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SemanticSearch.Infra.Tests;

/// <summary>
/// A compiled ARM template and every resource in it, nested module deployments included. Resource properties
/// are expressions; <see cref="Resolve"/> follows the simple ones (parameters and variables, through module
/// boundaries) to literal values, which is enough to check names and settings without deploying.
/// </summary>
internal sealed partial class ArmTemplate
{
    private ArmTemplate(JsonObject root, string text)
    {
        Root = root;
        Text = text;
        var resources = new List<ArmResource>();
        Collect(new DeploymentScope(root, ModuleParameters: null, Parent: null, Symbol: "main"), resources);
        Resources = resources;
    }

    public JsonObject Root { get; }

    public string Text { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("empty template"), json);

    /// <summary>Declared (not <c>existing</c>) resources of one type.</summary>
    public IReadOnlyList<ArmResource> OfType(string type) =>
        Resources.Where(r => !r.IsExisting && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>The module deployment whose symbolic name is <paramref name="symbol"/>, at the top level.</summary>
    public DeploymentScope Module(string symbol) =>
        ModuleScopes().SingleOrDefault(m => m.Symbol == symbol)
        ?? throw new InvalidOperationException($"no module '{symbol}' in the template");

    /// <summary>
    /// The literal a string expression stands for, or null when it needs more than parameters() and variables()
    /// (e.g. reference(), format()); objects and arrays are resolved member by member. A literal that starts with
    /// '[[' is an escaped '['.
    /// </summary>
    public static JsonNode? Resolve(JsonNode? node, DeploymentScope scope)
    {
        switch (node)
        {
            case JsonObject obj:
                var resolvedObject = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    resolvedObject[key] = Resolve(child?.DeepClone(), scope);
                }

                return resolvedObject;
            case JsonArray array:
                return new JsonArray(array.Select(child => Resolve(child?.DeepClone(), scope)).ToArray());
        }

        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return node?.DeepClone();
        }

        if (!text.StartsWith('[') || text.StartsWith("[[", StringComparison.Ordinal))
        {
            return JsonValue.Create(text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text);
        }

        var match = SimpleReference().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        JsonNode? target;
        DeploymentScope targetScope;
        if (match.Groups["kind"].Value == "parameters")
        {
            if (scope.ModuleParameters is not null && scope.Parent is not null)
            {
                target = scope.ModuleParameters[name]?["value"];
                targetScope = scope.Parent;
            }
            else
            {
                target = scope.Template["parameters"]?[name]?["defaultValue"];
                targetScope = scope;
            }
        }
        else
        {
            target = scope.Template["variables"]?[name];
            targetScope = scope;
        }

        foreach (var property in match.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            target = target?[property];
        }

        return target is null ? null : Resolve(target.DeepClone(), targetScope);
    }

    public static string? ResolveString(JsonNode? node, DeploymentScope scope) =>
        Resolve(node, scope) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private IEnumerable<DeploymentScope> ModuleScopes()
    {
        var top = new DeploymentScope(Root, null, null, "main");
        foreach (var (symbol, resource) in Entries(Root))
        {
            if (IsDeployment(resource))
            {
                yield return ModuleScope(symbol, resource, top);
            }
        }
    }

    private static void Collect(DeploymentScope scope, List<ArmResource> into)
    {
        foreach (var (symbol, resource) in Entries(scope.Template))
        {
            into.Add(new ArmResource(symbol, resource, scope));
            if (IsDeployment(resource))
            {
                Collect(ModuleScope(symbol, resource, scope), into);
            }
        }
    }

    private static DeploymentScope ModuleScope(string symbol, JsonObject deployment, DeploymentScope parent) =>
        new(
            deployment["properties"]?["template"]?.AsObject() ?? throw new InvalidOperationException($"module {symbol} has no inline template"),
            deployment["properties"]?["parameters"]?.AsObject() ?? [],
            parent,
            symbol);

    private static bool IsDeployment(JsonObject resource) =>
        string.Equals((string?)resource["type"], "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase);

    // languageVersion 2.0 templates keep resources in an object keyed by symbolic name; 1.0 in an array.
    private static IEnumerable<(string Symbol, JsonObject Resource)> Entries(JsonObject template) =>
        template["resources"] switch
        {
            JsonObject byName => byName.Select(p => (p.Key, p.Value!.AsObject())),
            JsonArray list => list.Select((r, i) => ($"#{i}", r!.AsObject())),
            _ => [],
        };

    [GeneratedRegex(@"^\[(?<kind>parameters|variables)\('(?<name>[^']+)'\)(?<path>(\.[A-Za-z0-9_]+)*)\]$")]
    private static partial Regex SimpleReference();
}

/// <summary>A template and, for a module, the parameters its parent passes and the parent itself.</summary>
internal sealed record DeploymentScope(JsonObject Template, JsonObject? ModuleParameters, DeploymentScope? Parent, string Symbol)
{
    public JsonNode? ResolveParameter(string name) =>
        ArmTemplate.Resolve(JsonValue.Create($"[parameters('{name}')]"), this);
}

internal sealed record ArmResource(string Symbol, JsonObject Json, DeploymentScope Scope)
{
    public string Type => (string?)Json["type"] ?? string.Empty;

    public bool IsExisting => Json["existing"] is JsonValue value && value.TryGetValue<bool>(out var existing) && existing;

    public JsonObject Properties => Json["properties"]?.AsObject() ?? [];

    public string? NameExpression => (string?)Json["name"];

    public JsonNode? Resolve(JsonNode? node) => ArmTemplate.Resolve(node, Scope);

    public string? ResolveString(JsonNode? node) => ArmTemplate.ResolveString(node, Scope);
}
