using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CreatorKeys.Tests.Deploy;

/// <summary>
/// deploy/compose.yaml and deploy/Caddyfile, read as files (no Docker engine runs on these machines): the services a
/// team deployment needs, their images and health checks, the start order, and the proxy's sticky sessions.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "deploy");

    private static readonly YamlMappingNode Compose = Load(Path.Combine(Deploy, "compose.yaml"));

    private static YamlMappingNode Services => Map(Compose, "services");

    [Fact]
    public void Services_AreThePostgreSqlServer_TheMigrateStep_TwoInstances_AndCaddy()
    {
        Assert.Equal(["app1", "app2", "caddy", "db", "migrate"], Services.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("postgres:15", Text(Map(Services, "db"), "image"));
        Assert.StartsWith("caddy:2", Text(Map(Services, "caddy"), "image"), StringComparison.Ordinal);

        // The migrate step builds the image from the repository's Dockerfile; both instances run that same image.
        var migrate = Map(Services, "migrate");
        var build = Map(migrate, "build");
        Assert.True(File.Exists(Path.Combine(Deploy, Text(build, "context"), Text(build, "dockerfile"))));
        var image = Text(migrate, "image");
        Assert.Equal(["migrate"], List(migrate, "command"));
        Assert.Equal("no", Text(migrate, "restart"));
        foreach (var instance in new[] { "app1", "app2" })
        {
            Assert.Equal(image, Text(Map(Services, instance), "image"));
        }
    }

    [Fact]
    public void Instances_UsePostgreSql_LeaveMigratingToTheMigrateStep_AndShareTheDataVolumeAndCertificate()
    {
        foreach (var name in new[] { "migrate", "app1", "app2" })
        {
            var service = Map(Services, name);
            var environment = Map(service, "environment");
            Assert.Equal("PostgreSql", Text(environment, "CreatorKeys__Database__Provider"));
            Assert.StartsWith("Host=db;", Text(environment, "CreatorKeys__Database__ConnectionString"), StringComparison.Ordinal);
            Assert.Equal("false", Text(environment, "CreatorKeys__Database__MigrateAtStart"));
            Assert.StartsWith("https://", Text(environment, "CreatorKeys__Email__BaseAddress"), StringComparison.Ordinal);
            // The key ring in the database is encrypted with one certificate, handed to every instance as a secret.
            Assert.Equal("/run/secrets/keyring_pfx", Text(environment, "CreatorKeys__DataProtection__CertificatePath"));
            Assert.Equal(["keyring_pfx"], List(service, "secrets"));
            // One data volume for all: the activity log's seal key must be the same on every instance.
            Assert.Equal(["app-data:/data"], List(service, "volumes"));
        }

        // The proxy's network is the one the instances trust for X-Forwarded-* headers.
        var subnet = Text((YamlMappingNode)((YamlSequenceNode)Map(Map(Map(Compose, "networks"), "default"), "ipam")["config"])[0], "subnet");
        Assert.Equal(subnet, Text(Map(Map(Services, "app1"), "environment"), "CreatorKeys__Network__TrustedProxies__0"));
        Assert.Equal("/run/secrets/keyring_pfx", "/run/secrets/" + Map(Compose, "secrets").Children.Keys.Single());
    }

    [Fact]
    public void HealthChecks_AndStartOrder_DatabaseHealthy_ThenMigrateDone_ThenInstancesHealthy_ThenCaddy()
    {
        Assert.Contains("pg_isready", string.Join(' ', List(Map(Map(Services, "db"), "healthcheck"), "test")), StringComparison.Ordinal);
        foreach (var instance in new[] { "app1", "app2" })
        {
            var service = Map(Services, instance);
            // The app's own probe: it asks the instance's /healthz (HealthProbe; the runtime image has no curl).
            Assert.Equal(["CMD", "dotnet", "/app/CreatorKeys.Web.dll", "--health-check"], List(Map(service, "healthcheck"), "test"));
            Assert.Equal("service_healthy", Condition(service, "db"));
            Assert.Equal("service_completed_successfully", Condition(service, "migrate"));
        }

        Assert.Equal("service_healthy", Condition(Map(Services, "migrate"), "db"));
        Assert.Equal("service_healthy", Condition(Map(Services, "caddy"), "app1"));
        Assert.Equal("service_healthy", Condition(Map(Services, "caddy"), "app2"));

        // Every named volume a service mounts is declared, so data outlives the containers.
        var declared = Map(Compose, "volumes").Children.Keys.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        var used = Services.Children.Values.Cast<YamlMappingNode>()
            .SelectMany(s => s.Children.TryGetValue(new YamlScalarNode("volumes"), out var v) ? ((YamlSequenceNode)v).Children.Select(c => c.ToString()) : [])
            .Select(v => v.Split(':')[0])
            .Where(v => !v.StartsWith('.'));
        Assert.All(used, v => Assert.Contains(v, declared));
        Assert.Contains("db-data:/var/lib/postgresql/data", List(Map(Services, "db"), "volumes"));
    }

    [Fact]
    public void Caddy_ServesHttps_ProxiesToBothInstances_WithStickySessions()
    {
        var caddy = Map(Services, "caddy");
        Assert.Contains("443:443", List(caddy, "ports"));
        Assert.Contains("./Caddyfile:/etc/caddy/Caddyfile:ro", List(caddy, "volumes"));

        var caddyfile = File.ReadAllText(Path.Combine(Deploy, "Caddyfile"));
        var lines = caddyfile.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        // A site address (Caddy gets its certificate and redirects HTTP to HTTPS), not a plain http:// or :80 one.
        Assert.Equal("{$CREATORKEYS_HOST} {", lines[0]);
        var proxy = ReverseProxy().Match(caddyfile);
        Assert.True(proxy.Success, "No reverse_proxy block in the Caddyfile.");
        Assert.Equal(["app1:8080", "app2:8080"], proxy.Groups["upstreams"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var block = proxy.Groups["block"].Value.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(block, l => LbPolicyCookie().IsMatch(l));
        Assert.Contains("health_uri /healthz", block);

        // The instances listen where Caddy sends requests (the Dockerfile's Urls and EXPOSE).
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "Dockerfile"));
        Assert.Contains("Urls=http://0.0.0.0:8080", dockerfile, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080", dockerfile, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*reverse_proxy\s+(?<upstreams>[^{\n]+)\{(?<block>[^}]*)\}", RegexOptions.Multiline)]
    private static partial Regex ReverseProxy();

    [GeneratedRegex(@"^lb_policy\s+cookie(\s|$)")]
    private static partial Regex LbPolicyCookie();

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static List<string> List(YamlMappingNode node, string key) =>
        [.. ((YamlSequenceNode)node[key]).Children.Select(c => ((YamlScalarNode)c).Value!)];

    private static string Condition(YamlMappingNode service, string dependency) => Text(Map(Map(service, "depends_on"), dependency), "condition");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CreatorKeys.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (CreatorKeys.sln) was not found above the test folder.");
    }
}
