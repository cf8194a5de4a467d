using CreatorKeys.Core.Data;
using CreatorKeys.Tests.Infrastructure;
using Npgsql;

namespace CreatorKeys.Tests.Core;

/// <summary>
/// The PostgreSQL connection string as the app uses it: Npgsql's automatic statement preparation on unless the
/// connection string says otherwise, and really preparing statements on a real server.
/// </summary>
public class DatabaseConnectionTests
{
    [Fact]
    public void PostgreSql_WithoutASetting_PreparesStatementsAutomatically()
    {
        var database = new Database(DatabaseProvider.PostgreSql, "Host=db;Database=creatorkeys;Username=creatorkeys;Password=secret");

        var used = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal((Database.AutoPreparedStatements, "db", "creatorkeys", "secret"), (used.MaxAutoPrepare, used.Host, used.Database, used.Password));
    }

    [Theory]
    [InlineData("Host=db;Database=creatorkeys;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=creatorkeys;maxautoprepare=10", 10)]
    public void PostgreSql_ItsOwnSetting_IsKept(string connectionString, int expected)
    {
        var database = new Database(DatabaseProvider.PostgreSql, connectionString);

        Assert.Equal(connectionString, database.ConnectionString);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(database.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public void Sqlite_ConnectionString_IsLeftAsItIs()
    {
        const string file = "Data Source=/data/creatorkeys.db";
        Assert.Equal(file, new Database(DatabaseProvider.Sqlite, file).ConnectionString);
    }

    [Fact]
    public async Task PostgreSql_AStatementSentAgainAndAgain_IsPreparedOnTheServer()
    {
        using var folder = new TempFolder();
        var database = new Database(DatabaseProvider.PostgreSql, await PostgreSqlServer.DatabaseForAsync(folder, migrated: false));
        await using var connection = (NpgsqlConnection)database.NewConnection();
        await connection.OpenAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var command = new NpgsqlCommand("SELECT @n + 1", connection);
            command.Parameters.AddWithValue("n", i);
            Assert.Equal(i + 1, await command.ExecuteScalarAsync());
        }

        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1 + 1%'", connection);
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());
    }
}
