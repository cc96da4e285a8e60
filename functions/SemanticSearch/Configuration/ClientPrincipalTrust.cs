namespace SemanticSearch.Configuration;

/// <summary>
/// Whether the HTTP API believes the <c>X-MS-CLIENT-PRINCIPAL</c> header (setting <c>Http:ClientPrincipal</c>). Only a
/// front end that strips the header from callers — App Service / Functions authentication — makes it trustworthy.
/// </summary>
public enum ClientPrincipalTrust
{
    /// <summary>Trusted when App Service authentication is on (the platform sets <c>WEBSITE_AUTH_ENABLED=True</c>), else ignored.</summary>
    Auto,

    /// <summary>Always trusted: the host sits behind something that sets the header and strips callers' own.</summary>
    Trusted,

    /// <summary>Never read: every caller is anonymous and sees only documents without an ACL.</summary>
    Ignored,
}
