using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data.DataViews;
using MLPipelines.ModelFiles;

namespace MLPipelines.Trainers;

/// <summary>
/// A trained model in an ML.NET pipeline, as ML.NET's own prediction transformers are: it reads
/// the feature column and adds ML.NET's prediction columns (<see cref="PredictionColumns"/>),
/// many rows per model call; it maps single rows for PredictionEngine; permutation feature
/// importance finds it; and <c>ml.Model.Save</c> / <c>ml.Model.Load</c> write and read it with
/// the model inside (<see cref="IModelFileTransformer"/>), predicting bit-identically.
/// </summary>
public sealed class TabularPredictionTransformer<TModel> : ISingleFeaturePredictionTransformer<TModel>, ISingleFeaturePredictionTransformer,
    IModelFileTransformer, ITabularPredictionTransformer, IDisposable
    where TModel : TabularModelParameters, ILoadableModel<TModel>
{
    private sealed record State(string FeatureColumnName, ModelDescription Model, KeyValuesAnnotation? ClassValues);

    private const string StateFile = "transformer.json";

    private readonly KeyValuesAnnotation? _classValues;

    public TabularPredictionTransformer(TModel model, string featureColumnName, KeyValuesAnnotation? classValues)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        _classValues = classValues;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.Layout.InputLength);
    }

    /// <summary>The trained model.</summary>
    public TModel Model { get; }

    public string FeatureColumnName { get; }

    TabularModelParameters ITabularPredictionTransformer.Model => Model;

    /// <summary>The class names, as the predicted label's key values name them (multiclass), else the model's.</summary>
    public IReadOnlyList<string> ClassNames => _classValues?.Values ?? Model.Description.ClassNames;

    public DataViewType FeatureColumnType { get; }

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MappedDataView.SchemaOf(inputSchema, Mapping(inputSchema));

    public IDataView Transform(IDataView input) => new MappedDataView(input, Mapping(input.Schema));

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowMapper(inputSchema, Mapping(inputSchema));

    private ScoringMapping Mapping(DataViewSchema input)
    {
        ScoringMapping.Check(input, FeatureColumnName, Model);
        return new ScoringMapping(Model, FeatureColumnName, input, _classValues);
    }

    void ICanSaveModel.Save(ModelSaveContext context) => LoadableTransformer.Save(this, context);

    public void Save(ModelWriter writer)
    {
        writer.WriteJson(StateFile, new State(FeatureColumnName, Model.Description, _classValues));
        Model.Save(writer);
    }

    /// <summary>Reads back what <see cref="Save(ModelWriter)"/> wrote.</summary>
    public static TabularPredictionTransformer<TModel> Load(ModelReader reader)
    {
        var state = reader.ReadJson<State>(StateFile);
        return new TabularPredictionTransformer<TModel>(TModel.Load(reader, state.Model), state.FeatureColumnName, state.ClassValues);
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>A <see cref="TabularPredictionTransformer{TModel}"/> of any model type.</summary>
public interface ITabularPredictionTransformer
{
    TabularModelParameters Model { get; }

    string FeatureColumnName { get; }

    IReadOnlyList<string> ClassNames { get; }
}
