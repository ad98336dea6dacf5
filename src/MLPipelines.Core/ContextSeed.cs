using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLPipelines;

/// <summary>The seed of the MLContext a catalog belongs to (ML.NET keeps it internal).</summary>
public static class ContextSeed
{
    /// <summary>A trainer's seed: its own, else its context's, else a random one (as ML.NET does for a context made without a seed).</summary>
    public static int For(TrainCatalogBase.CatalogInstantiatorBase catalog, int? own) => own ?? Of(catalog) ?? Random.Shared.Next();

    /// <summary>The context's seed, or null when the context was made without one.</summary>
    internal static int? Of(IInternalCatalog catalog) => (catalog.GetEnvironment() as IHostEnvironmentInternal)?.Seed;
}
