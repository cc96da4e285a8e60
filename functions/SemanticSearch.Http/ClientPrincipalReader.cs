using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;

namespace SemanticSearch.Http;

/// <summary>
/// The caller's groups, from the <c>X-MS-CLIENT-PRINCIPAL</c> header that App Service / Functions authentication sets
/// (base64 JSON; claims of type <c>groups</c> and <c>roles</c>). The platform strips the header from what callers send
/// only while authentication is on, so the header is believed only as <see cref="HttpOptions.ClientPrincipal"/> says;
/// otherwise every caller is anonymous and sees only documents without an ACL.
/// </summary>
public sealed partial class ClientPrincipalReader
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Set by App Service to <c>True</c> when its authentication module is on.</summary>
    public const string AuthEnabledSetting = "WEBSITE_AUTH_ENABLED";

    private const int MaxHeaderLength = 64 * 1024;

    private static readonly HashSet<string> GroupClaimTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "groups",
        "roles",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    };

    public ClientPrincipalReader(IOptions<HttpOptions> options, IConfiguration configuration, ILogger<ClientPrincipalReader> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        Trusted = options.Value.ClientPrincipal switch
        {
            ClientPrincipalTrust.Trusted => true,
            ClientPrincipalTrust.Ignored => false,
            _ => string.Equals(configuration[AuthEnabledSetting], "true", StringComparison.OrdinalIgnoreCase),
        };
        LogTrust(logger, Trusted, options.Value.ClientPrincipal);
    }

    /// <summary>Whether the header is read at all.</summary>
    public bool Trusted { get; }

    /// <summary>The caller; anonymous when the header is absent or not trusted. A trusted header that cannot be read is an error.</summary>
    public bool TryRead(HttpRequest request, out Caller caller, out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        caller = Caller.Anonymous;
        error = null;
        if (!Trusted || !request.Headers.TryGetValue(HeaderName, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            return true;
        }
        var header = values.ToString();
        if (header.Length > MaxHeaderLength || Parse(header) is not { } groups)
        {
            error = $"The {HeaderName} header is not base64-encoded JSON with a 'claims' array.";
            return false;
        }
        caller = Caller.InGroups(groups);
        return true;
    }

    /// <summary>The group and role claims of a principal header, or null when it cannot be read.</summary>
    public static IReadOnlyList<string>? Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.Trim())));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var roleType = root.TryGetProperty("role_typ", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null;
            var groups = new List<string>();
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var type) && type.ValueKind == JsonValueKind.String
                    && claim.TryGetProperty("val", out var value) && value.ValueKind == JsonValueKind.String
                    && (GroupClaimTypes.Contains(type.GetString()!) || string.Equals(type.GetString(), roleType, StringComparison.Ordinal)))
                {
                    groups.Add(value.GetString()!);
                }
            }
            return groups;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller groups from X-MS-CLIENT-PRINCIPAL: trusted={Trusted} (Http:ClientPrincipal={Setting})")]
    private static partial void LogTrust(ILogger logger, bool trusted, ClientPrincipalTrust setting);
}
