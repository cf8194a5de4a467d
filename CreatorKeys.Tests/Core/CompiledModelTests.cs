using System.Text;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Data.CompiledModel;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CreatorKeys.Tests.Core;

/// <summary>
/// The app starts with a compiled EF Core model (Data/CompiledModel, made by <c>dotnet ef dbcontext optimize</c>)
/// instead of building it from the code on every start. A compiled model does not update itself: these
/// checks fail when the entity classes or their configuration change and it was not made again.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate =
        "The compiled EF Core model is out of date. Make it again from the repository root with: " +
        "dotnet ef dbcontext optimize --project CreatorKeys.Core -o Data/CompiledModel -n CreatorKeys.Core.Data.CompiledModel";

    [Fact]
    public void TheAppsContext_UsesTheCompiledModel()
    {
        using var folder = new TempFolder();
        using var db = NewContext(folder);

        Assert.IsType<CreatorKeysDbContextModel>(db.Model);
    }

    [Fact]
    public void CompiledModel_HasTheSameEntitiesColumnsKeysIndexesAndConversions_AsTheModelBuiltFromTheCode()
    {
        using var folder = new TempFolder();
        using var db = NewContext(folder);
        var fromCode = db.GetService<IDesignTimeModel>().Model;

        Assert.True(Describe(fromCode) == Describe(db.Model), Regenerate);
    }

    [Fact]
    public void Migrations_CoverTheModel()
    {
        using var folder = new TempFolder();
        using var db = NewContext(folder);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: add one with dotnet ef migrations add <Name> --project CreatorKeys.Core --output-dir Data/Migrations, then make the compiled model again.");
    }

    private static CreatorKeysDbContext NewContext(TempFolder folder) =>
        new(new DbContextOptionsBuilder<CreatorKeysDbContext>().UseSqlite(new DataFolder(folder.Path).ConnectionString).Options);

    /// <summary>What the runtime relies on beyond the schema: each property's CLR type, conversion and nullability.</summary>
    private static string Describe(IModel model)
    {
        var text = new StringBuilder();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine($"{entity.Name} -> {entity.GetTableName()}");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                text.AppendLine($"  {property.Name}: {property.ClrType.Name} column {property.GetColumnName()} {property.GetColumnType()} null={property.IsNullable} max={property.GetMaxLength()} " +
                    $"converter={property.GetTypeMapping().Converter?.GetType().Name} generated={property.ValueGenerated} concurrency={property.IsConcurrencyToken}");
            }

            foreach (var key in entity.GetKeys().Select(k => $"  key ({Names(k.Properties)}) primary={k.IsPrimaryKey()}").Order(StringComparer.Ordinal))
            {
                text.AppendLine(key);
            }

            foreach (var index in entity.GetIndexes().Select(i => $"  index ({Names(i.Properties)}) unique={i.IsUnique} filter={i.GetFilter()}").Order(StringComparer.Ordinal))
            {
                text.AppendLine(index);
            }

            foreach (var foreignKey in entity.GetForeignKeys().Select(f => $"  foreign key ({Names(f.Properties)}) -> {f.PrincipalEntityType.Name} on delete {f.DeleteBehavior} required={f.IsRequired}").Order(StringComparer.Ordinal))
            {
                text.AppendLine(foreignKey);
            }

            foreach (var navigation in entity.GetNavigations().OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                text.AppendLine($"  navigation {navigation.Name} -> {navigation.TargetEntityType.Name}");
            }
        }

        return text.ToString();
    }

    private static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(", ", properties.Select(p => p.Name));
}
