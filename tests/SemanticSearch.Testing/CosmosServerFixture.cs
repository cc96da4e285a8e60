using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SemanticSearch.Configuration;

namespace SemanticSearch.Testing;

/// <summary>
/// Starts @vercel/cosmosdb-server (tests/cosmos-server.js, from the repository's node_modules) on a free loopback port
/// for the tests of one collection, and stops it at the end. It never skips silently: without Node or without
/// node_modules the fixture fails and says what to run.
/// </summary>
public sealed class CosmosServerFixture : IAsyncLifetime
{
    /// <summary>The public emulator key; the stand-in accepts any well-formed base64 key.</summary>
    public const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly bool _https;
    private Process? _server;

    public CosmosServerFixture()
        : this(https: false)
    {
    }

    /// <summary>A server that speaks TLS with the package's self-signed certificate, as the official emulator does.</summary>
    public static CosmosServerFixture WithHttps() => new(https: true);

    /// <param name="https">Serve TLS with the package's self-signed certificate, as the official emulator does.</param>
    private CosmosServerFixture(bool https)
    {
        _https = https;
    }

    public Uri Endpoint { get; private set; } = null!;

    public string ConnectionString => _https
        ? $"AccountEndpoint={Endpoint};AccountKey={EmulatorKey};DisableServerCertificateValidation=True;"
        : $"AccountEndpoint={Endpoint};AccountKey={EmulatorKey};";

    /// <summary>Options for a container in a database of its own, so tests never see each other's items.</summary>
    public CosmosContainerOptions Container(string container, string? database = null, TimeSpan? timeToLive = null) => new()
    {
        ConnectionString = ConnectionString,
        Database = database ?? "db-" + Guid.NewGuid().ToString("N")[..12],
        Container = container,
        TimeToLive = timeToLive,
    };

    public async Task InitializeAsync()
    {
        var root = RepositoryRoot.Find();
        var script = Path.Combine(root, "tests", "cosmos-server.js");
        var package = Path.Combine(root, "node_modules", "@vercel", "cosmosdb-server", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException(
                $"The Cosmos DB stand-in is not installed: {package} is missing. Run `npm ci` in {root} (it installs the " +
                "exact versions in package-lock.json), then run the tests again.");
        }

        var port = FreePort();
        string[] arguments = _https
            ? [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--https"]
            : [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var start = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        try
        {
            _server = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js (`node`) is needed to run the Cosmos DB stand-in for these tests; install Node 20 or later.", ex);
        }
        var errors = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        const string readyPrefix = "cosmosdb-server ready ";
        _server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"The Cosmos DB stand-in exited before it was ready: {errors}"));
            }
            else if (e.Data.StartsWith(readyPrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(new Uri(e.Data[readyPrefix.Length..].Trim()));
            }
        };
        _server.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        Endpoint = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }
        _server?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

