using MLPipelines.Deep.Options;

namespace MLPipelines.Benchmarks;

/// <summary>The deep models the benchmarks name on their command lines, with their published defaults.</summary>
internal static class DeepModels
{
    public static DeepModelOptions Options(string name) => name switch
    {
        "mlp" => new MlpOptions(),
        "mlp-tds" => MlpOptions.SmallTDS,
        "resnet" => new ResNetOptions(),
        "ft-transformer" => new FTTransformerOptions(),
        "tabm" => new TabMOptions { Architecture = TabMArchitecture.Full },
        "tabm-mini" => new TabMOptions { Architecture = TabMArchitecture.Mini },
        _ => throw new ArgumentException($"unknown model '{name}': expected mlp, mlp-tds, resnet, ft-transformer, tabm or tabm-mini"),
    };
}
