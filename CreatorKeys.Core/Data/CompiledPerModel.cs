using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CreatorKeys.Core.Data;

/// <summary>
/// An EF Core compiled query, compiled once per model: a compiled query is bound to the first model it runs with,
/// and SQLite and PostgreSQL have different models (one process normally has one; the tests have both).
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _queries = new(ReferenceEqualityComparer.Instance);

    public TQuery For(DbContext db) => _queries.GetOrAdd(db.Model, _ => compile());
}
