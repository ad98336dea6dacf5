using System.Runtime.CompilerServices;
using Microsoft.ML;
using MLPipelines.ModelFiles;

// ML.NET writes a component into its model zip through ModelSaveContext and reads it back
// through a loader registered with [LoadableClass]; both are internal to ML.NET (its own
// assemblies are friends). Without them a component of another assembly cannot be saved
// ("ModelSignature not specified!") or found again when the model is loaded in a new
// process. This assembly compiles against copies of Microsoft.ML.Core / Microsoft.ML.Data /
// Microsoft.ML.StandardTrainers whose internals are public (Directory.Build.targets), and the
// CLR lets the calls through because of [IgnoresAccessChecksTo]. The internals used, all in
// this assembly:
//   - LoadableClassAttribute, SignatureLoadModel, VersionInfo, ModelSaveContext and
//     ModelLoadContext (ModelFiles/: ModelWriter, ModelReader, LoadableTransformer);
//   - SchemaShape.Column's constructor (estimators' output schemas), TrainerInfo's constructor,
//     DataOperationsCatalog.TrainTestData's constructor (the stratified splits);
//   - ISingleFeaturePredictionTransformer (what permutation feature importance looks for);
//   - IInternalCatalog and IHostEnvironmentInternal.Seed (the MLContext's seed, ContextSeed);
//   - LinearRegressionModelParameters' and RegressionPredictionTransformer's constructors (the
//     ridge trainer returns ML.NET's own linear model, so ML.NET saves, loads, evaluates and
//     explains it unchanged: Trainers/RidgeRegressionTrainer);
//   - OneToOneTransformerBase.ColumnPairs (which column a MapKeyToValue after a model decodes:
//     OnnxExport/OnnxExporter), and BinaryPredictionTransformer's Threshold and ThresholdColumn
//     (read by reflection: the generic type differs between a trained and a loaded model;
//     OnnxExport/MLNetModelsOnnx);
//   - OneVersusAllModelParameters.SubModelParameters and its OutputFormula (the formula itself
//     sits on a private field, read by reflection), and, in Microsoft.ML.FastTree (not
//     publicized: reflection), a tree's DefaultValueForMissing (OnnxExport/MLNetTreesOnnx).
// Microsoft.ML is referenced at exactly 5.0.1, and the model round-trip tests guard this.
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.StandardTrainers")]
[assembly: LoadableClass(typeof(ITransformer), typeof(LoadableTransformer), null, typeof(SignatureLoadModel),
    "MLPipelines transformer", LoadableTransformer.LoaderSignature)]

namespace System.Runtime.CompilerServices
{
    /// <summary>Read by the CLR: code of this assembly may use the named assembly's non-public types and members.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
    {
        public string AssemblyName { get; } = assemblyName;
    }
}
