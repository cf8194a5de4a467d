using CreatorKeys.Web;

namespace CreatorKeys.Tests.Web;

public sealed class HealthProbeTests
{
    [Theory]
    [InlineData(null, "http://127.0.0.1:5080/")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://+:8080;https://+:8443", "http://127.0.0.1:8080/")]
    [InlineData("http://*:9000/", "http://127.0.0.1:9000/")]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000", "http://localhost:5000/")]
    public void LocalAddress_WildcardHosts_BecomeLoopback(string? urls, string expected) =>
        Assert.Equal(new Uri(expected), HealthProbe.LocalAddress(urls));
}
