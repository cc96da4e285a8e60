using System.Net;
using Microsoft.AspNetCore.Http;

namespace SemanticSearch.Local.Server;

/// <summary>What a <c>--urls</c> value listens on: loopback only, or beyond this machine.</summary>
internal static class ListenAddresses
{
    /// <summary>
    /// Whether every address in <paramref name="urls"/> (';'-separated) is loopback: <c>localhost</c>, 127.0.0.0/8 or
    /// ::1. Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and host names are not.
    /// </summary>
    public static bool AreLoopbackOnly(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return false;
            }
            var host = address.Host.Trim('[', ']');
            var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                return false;
            }
        }
        return true;
    }
}
