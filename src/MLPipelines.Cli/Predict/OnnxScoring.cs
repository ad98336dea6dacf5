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
            var classes = model.MetadataProps.FirstOrDefault(p => p.Key == "mlpipelines.classes")?.Value is { } json ? JsonSerializer.Deserialize<string[]>(json) : null;
            DataTable scored;
            try
            {
                scored = Score(session, inputs, table, classes, BatchRows, new ScoringProgress(table.RowCount, Console.Out).Report);
            }
            catch (OnnxRuntimeException e)
            {
                return Fail($"ONNX Runtime failed to score {input.Name} with {onnxFile.Name}: {e.Message}");
            }
            CsvWriter.Write(ScoredRows.Arrange(scored, table), output.FullName, table.Origins?.Layout);
            Console.WriteLine($"scored {table.RowCount:N0} rows of {input.Name} into {output.Name} with {onnxFile.Name} (ONNX Runtime)");
            return 0;
        }
    }

    /// <summary>
    /// Rows scored per run of the graph, as the deep models predict natively: all rows at once would hold every layer's
    /// activations for all of them (a TabM's 32 × 512 floats a row: 32 GB for 500,000 rows).
    /// </summary>
    internal const int BatchRows = 4096;

    /// <summary>The table's columns and the graph's outputs for its rows, scored <paramref name="batchRows"/> at a time.</summary>
    internal static DataTable Score(InferenceSession session, IReadOnlyList<ValueInfoProto> inputs, DataTable table, string[]? classes, int batchRows,
        Action<long>? rowsScored = null)
    {
        var outputs = new Dictionary<string, OutputRows>();
        for (var start = 0; start < table.RowCount; start += batchRows)
        {
            var rows = Math.Min(batchRows, table.RowCount - start);
            using var results = session.Run(inputs.Select(i => Feed(i, table, start, rows)).ToList());
            foreach (var result in results)
            {
                if (!outputs.TryGetValue(result.Name, out var collected)) outputs[result.Name] = collected = new OutputRows(result.Name);
                collected.Add(result);
            }
            rowsScored?.Invoke(start + rows);
        }
        return new DataTable([.. table.Columns, .. outputs.Values.SelectMany(o => o.Columns(classes))], table.Origins);
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

    /// <summary>Rows [start, start + rows) of an input column as the [rows, 1] tensor of its graph input's element type (missing: NaN, empty text, false).</summary>
    private static NamedOnnxValue Feed(ValueInfoProto input, DataTable table, int start, int rows)
    {
        var column = table[input.Name];
        int[] shape = [rows, 1];
        var range = Enumerable.Range(start, rows);
        return (TensorProto.Types.DataType)input.Type.TensorType.ElemType switch
        {
            TensorProto.Types.DataType.String => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<string>(range.Select(r => column.Format(r) ?? "").ToArray(), shape)),
            TensorProto.Types.DataType.Bool => NamedOnnxValue.CreateFromTensor(input.Name,
                new DenseTensor<bool>(range.Select(r => ((BooleanColumn)column)[r] == true).ToArray(), shape)),
            TensorProto.Types.DataType.Float => NamedOnnxValue.CreateFromTensor(input.Name,
                new DenseTensor<float>(((NumericColumn)column).Values.Slice(start, rows).ToArray().Select(v => (float)v).ToArray(), shape)),
            TensorProto.Types.DataType.Double => NamedOnnxValue.CreateFromTensor(input.Name,
                new DenseTensor<double>(((NumericColumn)column).Values.Slice(start, rows).ToArray(), shape)),
            var other => throw new DataValidationException($"the ONNX input '{input.Name}' is {other}: predict feeds text, Boolean, float and double inputs"),
        };
    }

    /// <summary>One output's values over the batches, copied out of each run's tensors; then CSV columns.</summary>
    private sealed class OutputRows(string name)
    {
        private readonly List<float> _floats = [];
        private readonly List<bool> _booleans = [];
        private readonly List<string> _texts = [];
        private int _width = 1;

        public void Add(DisposableNamedOnnxValue result)
        {
            switch (result.Value)
            {
                case Tensor<float> floats:
                    _width = (int)floats.Dimensions[1];
                    _floats.AddRange(floats);
                    break;
                case Tensor<bool> booleans:
                    _booleans.AddRange(booleans);
                    break;
                case Tensor<string> texts:
                    _texts.AddRange(texts);
                    break;
                default:
                    throw new DataValidationException($"the ONNX output '{name}' is {result.Value?.GetType().Name}: predict writes float, Boolean and text outputs");
            }
        }

        /// <summary>[N, 1] as one column named after the output, [N, k] as k columns "name.class".</summary>
        public IEnumerable<DataColumn> Columns(string[]? classes)
        {
            if (_booleans.Count > 0) return [BooleanColumn.FromValues(name, _booleans.Select(b => (bool?)b).ToArray())];
            if (_texts.Count > 0) return [CategoricalColumn.FromValues(name, _texts.ToArray())];
            var rows = _floats.Count / _width;
            return Enumerable.Range(0, _width).Select(k => (DataColumn)new NumericColumn(
                _width == 1 ? name : $"{name}.{(classes is { } c && c.Length == _width ? c[k] : k.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
                Enumerable.Range(0, rows).Select(r => SingleScores.Shortest(_floats[r * _width + k])).ToArray()));
        }
    }
}
