using Microsoft.ML.Trainers.LightGbm;
using MLPipelines.AutoML.Search;
using MLPipelines.Deep.Options;
using MLPipelines.XGBoost.Training;

namespace MLPipelines.AutoML;

/// <summary>
/// Each tunable family's search space as its authors published it, and how a point of it sets
/// the family's options. Where our options lack a parameter of the paper's space it is left
/// out; where a paper's space is conditional ("0 or log-uniform") the continuous part is kept.
/// </summary>
public static class PublishedSearchSpaces
{
    /// <summary>What a point of <see cref="LightGbmSpace"/> sets in ML.NET's LightGbm options, whichever the task.</summary>
    public sealed record LightGbmSettings(int? Leaves, int Rounds, double? LearningRate, GradientBooster.Options Booster);

    /// <summary>
    /// XGBoost: Grinsztajn, Oyallon and Varoquaux 2022 ("Why do tree-based models still
    /// outperform deep learning on tabular data?"), appendix: depth 1–11, min_child_weight
    /// log 1–100, subsample and colsample_bytree 0.5–1, learning rate log 1e-5–0.7, lambda log
    /// 1–4, alpha log 1e-8–100. The number of trees is not searched: early stopping on a
    /// validation split picks it (up to the trainer's 2,000 rounds). Their gamma and
    /// colsample_bylevel are not among our options.
    /// </summary>
    public static SearchSpace XGBoostSpace { get; } = new(
    [
        new IntParameter("max_depth", 1, 11),
        new FloatParameter("min_child_weight", 1, 100, Log: true),
        new FloatParameter("subsample", 0.5, 1),
        new FloatParameter("learning_rate", 1e-5, 0.7, Log: true),
        new FloatParameter("colsample_bytree", 0.5, 1),
        new FloatParameter("lambda", 1, 4, Log: true),
        new FloatParameter("alpha", 1e-8, 100, Log: true),
    ]);

    public static GradientBoostedTreesOptions XGBoost(GradientBoostedTreesOptions options, Configuration? c) => c is null ? options : options with
    {
        MaxDepth = c.Int("max_depth"),
        MinChildWeight = c.Float("min_child_weight"),
        Subsample = c.Float("subsample"),
        LearningRate = c.Float("learning_rate"),
        ColumnSampleByTree = c.Float("colsample_bytree"),
        L2 = c.Float("lambda"),
        L1 = c.Float("alpha"),
    };

    /// <summary>
    /// LightGbm: Grinsztajn et al.'s XGBoost space carried over to LightGbm's parameters
    /// (leaves up to 2¹¹ for depth up to 11; min_sum_hessian_in_leaf for min_child_weight;
    /// bagging and feature fraction for the samplings). ML.NET's LightGbm trains a fixed number
    /// of rounds without a validation split, so the rounds are searched (log 50–1,000) and the
    /// learning rate starts at 1e-3, where 1,000 rounds can still learn. The minimum hessian
    /// starts at ML.NET's default, 0.1, not at XGBoost's 1: under softmax a row weighs about
    /// p(1 − p), 0.07 with 13 classes, so a minimum of 1 asks for 14 rows or more per leaf, and
    /// on 104 training rows of 13 letters every one of 2,130 tuned trials (1–100) predicted a
    /// single class; from 0.1 the default's own setting is inside the space.
    /// </summary>
    public static SearchSpace LightGbmSpace { get; } = new(
    [
        new IntParameter("num_leaves", 2, 2048, Log: true),
        new IntParameter("rounds", 50, 1000, Log: true),
        new FloatParameter("min_child_weight", 0.1, 100, Log: true),
        new FloatParameter("subsample", 0.5, 1),
        new FloatParameter("learning_rate", 1e-3, 0.7, Log: true),
        new FloatParameter("colsample_bytree", 0.5, 1),
        new FloatParameter("lambda", 1, 4, Log: true),
        new FloatParameter("alpha", 1e-8, 100, Log: true),
    ]);

    /// <summary>LightGbm's settings at a point of <see cref="LightGbmSpace"/>; null keeps ML.NET's defaults (100 rounds, its automatic leaves and learning rate).</summary>
    public static LightGbmSettings LightGbm(Configuration? c) => c is null ? new(null, 100, null, new GradientBooster.Options()) : new(
        c.Int("num_leaves"), c.Int("rounds"), c.Float("learning_rate"), new GradientBooster.Options
        {
            MinimumChildWeight = c.Float("min_child_weight"),
            SubsampleFraction = c.Float("subsample"),
            SubsampleFrequency = 1,
            FeatureFraction = c.Float("colsample_bytree"),
            L2Regularization = c.Float("lambda"),
            L1Regularization = c.Float("alpha"),
        });

    /// <summary>
    /// RealMLP's tuning space (Holzmüller et al. 2024, table of the HPO space): learning rate
    /// log 0.02–0.3, hidden layers 256×3 / 64×5 / 512×1, activation SELU or Mish, label
    /// smoothing 0 or 0.1, weight decay 0 or 0.02, dropout 0 / 0.15 / 0.3, numeric embeddings
    /// none or PBLD. (Its ReLU choice, the PL/PLR embeddings and their scale are not among our
    /// options; choices are drawn uniformly, not with the paper's prior weights.)
    /// </summary>
    public static SearchSpace MlpSpace { get; } = new(
    [
        new FloatParameter("learning_rate", 0.02, 0.3, Log: true),
        new ChoiceParameter("hidden_layers", ["256x3", "64x5", "512x1"]),
        new ChoiceParameter("activation", ["selu", "mish"]),
        new ChoiceParameter("label_smoothing", ["0", "0.1"]),
        new ChoiceParameter("weight_decay", ["0", "0.02"]),
        new ChoiceParameter("dropout", ["0", "0.15", "0.3"]),
        new ChoiceParameter("numeric_embedding", ["none", "pbld"]),
    ]);

    /// <summary>ResNet: Gorishniy et al. 2021 ("Revisiting deep learning models for tabular data"), its ResNet space.</summary>
    public static SearchSpace ResNetSpace { get; } = new(
    [
        new IntParameter("blocks", 1, 8),
        new IntParameter("width", 64, 512),
        new FloatParameter("hidden_factor", 1, 4),
        new FloatParameter("hidden_dropout", 0, 0.5),
        new FloatParameter("residual_dropout", 0, 0.5),
        new FloatParameter("learning_rate", 1e-5, 1e-2, Log: true),
        new FloatParameter("weight_decay", 1e-6, 1e-3, Log: true),
    ]);

    /// <summary>FT-Transformer: Gorishniy et al. 2021, its space (token size rounded to a multiple of the 8 heads).</summary>
    public static SearchSpace FTTransformerSpace { get; } = new(
    [
        new IntParameter("blocks", 1, 4),
        new IntParameter("token_size", 64, 512),
        new FloatParameter("attention_dropout", 0, 0.5),
        new FloatParameter("ffn_dropout", 0, 0.5),
        new FloatParameter("ffn_factor", 2.0 / 3, 8.0 / 3),
        new FloatParameter("residual_dropout", 0, 0.2),
        new FloatParameter("learning_rate", 1e-5, 1e-3, Log: true),
        new FloatParameter("weight_decay", 1e-6, 1e-3, Log: true),
    ]);

    /// <summary>TabM: Gorishniy et al. 2024 ("TabM: advancing tabular deep learning with parameter-efficient ensembling"), its space (block width rounded to 16).</summary>
    public static SearchSpace TabMSpace { get; } = new(
    [
        new FloatParameter("learning_rate", 1e-4, 5e-3, Log: true),
        new FloatParameter("weight_decay", 1e-4, 1e-1, Log: true),
        new IntParameter("blocks", 1, 5),
        new IntParameter("block_width", 64, 1024),
        new FloatParameter("dropout", 0, 0.5),
    ]);

    /// <summary>A deep model's options at a point of its space; null keeps the defaults.</summary>
    public static DeepModelOptions Deep(DeepModelOptions options, Configuration? c) => c is null ? options : options switch
    {
        MlpOptions mlp => mlp with
        {
            LearningRate = c.Float("learning_rate"),
            HiddenLayers = c.Choice("hidden_layers") switch { "64x5" => [64, 64, 64, 64, 64], "512x1" => [512], _ => [256, 256, 256] },
            Activation = c.Choice("activation") == "selu" ? MlpActivation.Selu : MlpActivation.Mish,
            LabelSmoothing = double.Parse(c.Choice("label_smoothing"), System.Globalization.CultureInfo.InvariantCulture),
            WeightDecay = double.Parse(c.Choice("weight_decay"), System.Globalization.CultureInfo.InvariantCulture),
            Dropout = double.Parse(c.Choice("dropout"), System.Globalization.CultureInfo.InvariantCulture),
            NumericEmbedding = c.Choice("numeric_embedding") == "pbld" ? NumericEmbeddingKind.Pbld : NumericEmbeddingKind.None,
        },
        ResNetOptions resnet => resnet with
        {
            Blocks = c.Int("blocks"),
            MainWidth = c.Int("width"),
            HiddenWidth = (int)Math.Round(c.Int("width") * c.Float("hidden_factor")),
            HiddenDropout = c.Float("hidden_dropout"),
            ResidualDropout = c.Float("residual_dropout"),
            LearningRate = c.Float("learning_rate"),
            WeightDecay = c.Float("weight_decay"),
        },
        FTTransformerOptions ftt => ftt with
        {
            Blocks = c.Int("blocks"),
            TokenSize = Math.Max(ftt.Heads, c.Int("token_size") / ftt.Heads * ftt.Heads),
            AttentionDropout = c.Float("attention_dropout"),
            FeedForwardDropout = c.Float("ffn_dropout"),
            FeedForwardFactor = c.Float("ffn_factor"),
            ResidualDropout = c.Float("residual_dropout"),
            LearningRate = c.Float("learning_rate"),
            WeightDecay = c.Float("weight_decay"),
        },
        TabMOptions tabm => tabm with
        {
            LearningRate = c.Float("learning_rate"),
            WeightDecay = c.Float("weight_decay"),
            Blocks = c.Int("blocks"),
            BlockWidth = Math.Max(16, c.Int("block_width") / 16 * 16),
            Dropout = c.Float("dropout"),
        },
        _ => throw new ArgumentException($"{options.Name} has no published search space"),
    };
}
