using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLPipelines.Cli.Shared;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Onnx.Protobuf;

namespace MLPipelines.Cli.Predict;

/// <summary>
/// Scores a CSV with an ONNX file exported by <c>mlpipelines export</c>, through ONNX Runtime alone
/// (no libtorch, no XGBoost): each graph input [N, 1] is read from the CSV column of its name,
/// typed by the input (text, Boolean or number; a CSV that lacks one is refused), and
/// each output becomes columns of the written CSV, as <c>predict</c> writes them for a model file.
/// </summary>
internal static class OnnxScoring
{
    public static int Run(FileInfo onnxFile, FileInfo input, FileInfo output)
    {
        var bytes = File.ReadAllBytes(onnxFile.FullName);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Fail($"{onnxFile.Name} is not a readable ONNX file (damaged, or another format): {e.Message}");
        }
        if (model.Graph is null || model.Graph.Output.Count == 0) return Fail($"{onnxFile.Name} is not a readable ONNX file: it holds no graph with outputs");
        var inputs = model.Graph.Input.Where(i => model.Graph.Initializer.All(c => c.Name != i.Name)).ToList();
        foreach (var (value, isInput) in inputs.Select(i => (i, true)).Concat(model.Graph.Output.Select(o => (o, false))))
            if (value.Type?.TensorType?.Shape is not { Dim.Count: 2 } shape || (isInput && shape.Dim[1].DimValue != 1))
                return Fail($"{onnxFile.Name} was not written by `mlpipelines export`: its {(isInput ? "input" : "output")} '{value.Name}' is not a [rows, columns] tensor" +
                            (isInput ? " of one column" : "") + "; predict scores files whose inputs are one column each");
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes);
        }
        catch (OnnxRuntimeException e)
        {
            return Fail($"ONNX Runtime cannot load {onnxFile.Name}: {e.Message}");
        }
        using (session)
        {
            DataTable table;
            try
            {
                table = ReadInputs(input.FullName, inputs);
            }
            catch (Exception e) when (e is CsvFormatException or DataValidationException)
            {
                return Fail(e.Message);
            }
            var feeds = inputs.Select(i => Feed(i, table)).ToList();
            var classes = model.MetadataProps.FirstOrDefault(p => p.Key == "mlpipelines.classes")?.Value is { } json ? JsonSerializer.Deserialize<string[]>(json) : null;
            var columns = table.Columns.ToList();
            try
            {
                using var results = session.Run(feeds);
                foreach (var result in results) columns.AddRange(Columns(result, classes));
            }
            catch (OnnxRuntimeException e)
            {
                return Fail($"ONNX Runtime failed to score {input.Name} with {onnxFile.Name}: {e.Message}");
            }
            CsvWriter.Write(ScoredRows.Arrange(new DataTable(columns), table), output.FullName);
            Console.WriteLine($"scored {table.RowCount:N0} rows of {input.Name} into {output.Name} with {onnxFile.Name} (ONNX Runtime)");
            return 0;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    /// <summary>The CSV with each input column typed as its graph input; one the CSV lacks is an error.</summary>
    private static DataTable ReadInputs(string path, IReadOnlyList<ValueInfoProto> inputs)
    {
        var types = inputs.ToDictionary(i => i.Name, i => (TensorProto.Types.DataType)i.Type.TensorType.ElemType switch
        {
            TensorProto.Types.DataType.String => ColumnType.Categorical,
            TensorProto.Types.DataType.Bool => ColumnType.Boolean,
            _ => ColumnType.Numeric,
        });
        // Every input is a column the featurizer reads (the export declares no other).
        return TypedCsv.Read(path, types, types.Keys.ToHashSet(), out _);
    }

    /// <summary>One input column as the [N, 1] tensor of its graph input's element type (missing: NaN, empty text, false).</summary>
    private static NamedOnnxValue Feed(ValueInfoProto input, DataTable table)
    {
        var column = table[input.Name];
        var rows = table.RowCount;
        int[] shape = [rows, 1];
        return (TensorProto.Types.DataType)input.Type.TensorType.ElemType switch
        {
            TensorProto.Types.DataType.String => NamedOnnxValue.CreateFromTensor(input.Name,
                new DenseTensor<string>(Enumerable.Range(0, rows).Select(r => column.Format(r) ?? "").ToArray(), shape)),
            TensorProto.Types.DataType.Bool => NamedOnnxValue.CreateFromTensor(input.Name,
                new DenseTensor<bool>(Enumerable.Range(0, rows).Select(r => ((BooleanColumn)column)[r] == true).ToArray(), shape)),
            TensorProto.Types.DataType.Float => NamedOnnxValue.CreateFromTensor(input.Name,
                new DenseTensor<float>(((NumericColumn)column).Values.ToArray().Select(v => (float)v).ToArray(), shape)),
            TensorProto.Types.DataType.Double => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<double>(((NumericColumn)column).Values.ToArray(), shape)),
            var other => throw new DataValidationException($"the ONNX input '{input.Name}' is {other}: predict feeds text, Boolean, float and double inputs"),
        };
    }

    /// <summary>An output as CSV columns: [N, 1] as one column named after it, [N, k] as k columns "name.class".</summary>
    private static IEnumerable<DataColumn> Columns(DisposableNamedOnnxValue result, string[]? classes)
    {
        var name = result.Name;
        switch (result.Value)
        {
            case Tensor<float> floats:
                var width = (int)floats.Dimensions[1];
                var rows = (int)floats.Dimensions[0];
                for (var k = 0; k < width; k++)
                {
                    var slot = width == 1 ? name : $"{name}.{(classes is { } c && c.Length == width ? c[k] : k.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
                    yield return new NumericColumn(slot, Enumerable.Range(0, rows).Select(r => SingleScores.Shortest(floats[r, k])).ToArray());
                }
                break;
            case Tensor<bool> booleans:
                yield return BooleanColumn.FromValues(name, booleans.ToArray().Select(b => (bool?)b).ToArray());
                break;
            case Tensor<string> texts:
                yield return CategoricalColumn.FromValues(name, texts.ToArray());
                break;
            default:
                throw new DataValidationException($"the ONNX output '{name}' is {result.Value?.GetType().Name}: predict writes float, Boolean and text outputs");
        }
    }
}
