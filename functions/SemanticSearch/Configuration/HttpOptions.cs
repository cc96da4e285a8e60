namespace SemanticSearch.Configuration;

/// <summary>How the HTTP API treats callers (settings <c>Http:*</c>).</summary>
public sealed class HttpOptions
{
    /// <summary>Whether the caller's groups are read from <c>X-MS-CLIENT-PRINCIPAL</c>; see <see cref="ClientPrincipalTrust"/>.</summary>
    public ClientPrincipalTrust ClientPrincipal { get; set; } = ClientPrincipalTrust.Auto;
}
