using CreatorKeys.Core.Data;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Reminders;

/// <summary>
/// The start-up refresh of due dates: recomputed when the configured time zone changed, and not read at all on a plain
/// restart (it used to read every key at every start, most of a 10,000-key install's start-up).
/// </summary>
public sealed class DueDateRefresherTests
{
    // 26 hours apart, so any instant falls on a different date in one than in the other.
    private const string FarEast = "Pacific/Kiritimati";
    private const string FarWest = "Etc/GMT+12";

    private static Dictionary<string, string?> InZone(string zone) => new() { [ReminderOptions.Section + ":TimeZone"] = zone };

    [Fact]
    public async Task A_restart_in_the_same_time_zone_leaves_due_dates_alone_and_a_new_zone_recomputes_them()
    {
        using var folder = new TempFolder();
        Guid keyId;
        DateOnly dueInFarEast;
        await using (var host = await CoreHost.StartAsync(InZone(FarEast), folder))
        {
            var (_, session, _) = await host.SignUpAsync();
            keyId = (await host.AddKeyAsync(session, "sk-proj-" + new string('a', 40))).Id;
            dueInFarEast = (await DueOnAsync(host, keyId))!.Value;
            Assert.Equal(DueDateRefresher.Marker(TimeZoneInfo.FindSystemTimeZoneById(FarEast)), await MarkerAsync(host));

            // A stored date nothing would write: if the next start reads the keys, it puts the right one back.
            await SetDueOnAsync(host, keyId, new DateOnly(2001, 1, 1));
        }

        await using (var host = await CoreHost.StartAsync(InZone(FarEast), folder))
        {
            Assert.Equal(new DateOnly(2001, 1, 1), await DueOnAsync(host, keyId));
        }

        await using (var host = await CoreHost.StartAsync(InZone(FarWest), folder))
        {
            var dueInFarWest = await DueOnAsync(host, keyId);
            Assert.NotNull(dueInFarWest);
            Assert.NotEqual(dueInFarEast, dueInFarWest);
            Assert.True(Math.Abs(dueInFarEast.DayNumber - dueInFarWest.Value.DayNumber) is 1 or 2);
            Assert.Equal(DueDateRefresher.Marker(TimeZoneInfo.FindSystemTimeZoneById(FarWest)), await MarkerAsync(host));
        }

        await using (var host = await CoreHost.StartAsync(InZone(FarEast), folder))
        {
            Assert.Equal(dueInFarEast, await DueOnAsync(host, keyId));
        }
    }

    [Fact]
    public async Task An_install_without_the_marker_reads_its_keys_once_and_then_keeps_it()
    {
        using var folder = new TempFolder();
        Guid keyId;
        DateOnly due;
        await using (var host = await CoreHost.StartAsync(InZone(FarEast), folder))
        {
            var (_, session, _) = await host.SignUpAsync();
            keyId = (await host.AddKeyAsync(session, "sk-proj-" + new string('b', 40))).Id;
            due = (await DueOnAsync(host, keyId))!.Value;

            // As an install from before the marker existed: no row, and a due date that needs recomputing.
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
            await db.InstallState.ExecuteDeleteAsync();
            await SetDueOnAsync(host, keyId, new DateOnly(2001, 1, 1));
        }

        await using (var host = await CoreHost.StartAsync(InZone(FarEast), folder))
        {
            Assert.Equal(due, await DueOnAsync(host, keyId));
            Assert.NotNull(await MarkerAsync(host));
        }
    }

    private static async Task<DateOnly?> DueOnAsync(CoreHost host, Guid keyId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.DueOn).SingleAsync();
    }

    private static async Task SetDueOnAsync(CoreHost host, Guid keyId, DateOnly dueOn)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(set => set.SetProperty(k => k.DueOn, dueOn));
    }

    private static async Task<string?> MarkerAsync(CoreHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.InstallState.Select(s => s.DueDatesComputedIn).SingleOrDefaultAsync();
    }
}
