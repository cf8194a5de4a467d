using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// Holds back what a page needs for its live connection (Blazor's circuit) until the test lets it through,
/// so a test sees a prerendered page exactly as a person does on a slow or busy server, for as long as it
/// likes and without sleeping. Requests that arrive while held wait; <see cref="Release"/> lets them all
/// go, <see cref="Hold"/> holds the next ones again.
/// </summary>
public sealed partial class LiveConnectionGate
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _open = NewSignal();
    private TaskCompletionSource _arrived = NewSignal();
    private int _held;

    private LiveConnectionGate()
    {
    }

    /// <summary>What to hold back.</summary>
    public enum Point
    {
        /// <summary>The circuit's first request (<c>/_blazor/negotiate</c>): scripts run, the connection waits (a busy server).</summary>
        Negotiate,

        /// <summary>Blazor's script itself (<c>blazor.web.js</c>): nothing of the app's JavaScript runs (a slow network).</summary>
        Script,
    }

    /// <summary>How many requests were held so far (a test can check the gate really held something).</summary>
    public int HeldCount => Volatile.Read(ref _held);

    /// <summary>Installs a gate on every page of <paramref name="context"/>; it starts closed.</summary>
    public static async Task<LiveConnectionGate> CloseAsync(IBrowserContext context, Point point)
    {
        var gate = new LiveConnectionGate();
        await context.RouteAsync(point == Point.Negotiate ? NegotiateRequest() : BlazorScript(), gate.HandleAsync);
        return gate;
    }

    /// <summary>Lets every held request through, and every later one until <see cref="Hold"/>.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    /// <summary>Holds the next requests again.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = NewSignal();
            }

            _arrived = NewSignal();
        }
    }

    /// <summary>Completes once a request has been held since the gate was last closed.</summary>
    public Task WaitUntilHoldingAsync()
    {
        lock (_gate)
        {
            return _arrived.Task;
        }
    }

    private async Task HandleAsync(IRoute route)
    {
        Task open;
        lock (_gate)
        {
            open = _open.Task;
            if (!open.IsCompleted)
            {
                Interlocked.Increment(ref _held);
                _arrived.TrySetResult();
            }
        }

        await open;
        try
        {
            await route.ContinueAsync();
        }
        catch (PlaywrightException)
        {
            // The page moved on (or closed) while its request was held: nothing is waiting for it.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GeneratedRegex(@"/_blazor/negotiate\b")]
    private static partial Regex NegotiateRequest();

    // MapStaticAssets serves it fingerprinted: _framework/blazor.web.<hash>.js.
    [GeneratedRegex(@"/_framework/blazor\.web(\.[a-z0-9]+)?\.js$")]
    private static partial Regex BlazorScript();
}
