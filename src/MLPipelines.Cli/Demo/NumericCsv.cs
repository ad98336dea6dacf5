using System.Globalization;

namespace MLPipelines.Cli.Demo;

/// <summary>
/// A table whose feature columns are all numeric and whose label column holds class names:
/// just enough CSV for the training demo. (The library's data layer replaces this.)
/// </summary>
public sealed record NumericTable(string[] FeatureNames, float[] Features, string[] Labels)
{
    public int Rows => Labels.Length;
    public int Columns => FeatureNames.Length;

    public static NumericTable Read(string path, string labelColumn)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2) throw new InvalidDataException($"{path}: expected a header and at least one row");
        var header = lines[0].Split(',');
        var labelIndex = Array.IndexOf(header, labelColumn);
        if (labelIndex < 0) throw new InvalidDataException($"{path}: no column named '{labelColumn}' (columns: {string.Join(", ", header)})");

        var names = header.Where((_, i) => i != labelIndex).ToArray();
        var features = new List<float>(lines.Length * names.Length);
        var labels = new List<string>(lines.Length);
        for (var line = 1; line < lines.Length; line++)
        {
            if (lines[line].Length == 0) continue;
            var fields = lines[line].Split(',');
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{path}, line {line + 1}: {fields.Length} fields, but the header has {header.Length}");
            for (var c = 0; c < fields.Length; c++)
            {
                if (c == labelIndex) continue;
                if (!float.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new InvalidDataException($"{path}, line {line + 1}, column '{header[c]}': '{fields[c]}' is not a number");
                features.Add(value);
            }
            labels.Add(fields[labelIndex].Trim('"'));
        }
        return new NumericTable(names, features.ToArray(), labels.ToArray());
    }
}
